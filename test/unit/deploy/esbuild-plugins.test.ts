import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ownCodeOnly } = require('../../../deploy/esbuild-plugins.cjs') as { ownCodeOnly: (map: SourceMapJson) => SourceMapJson };

interface SourceMapJson {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
}

/** A bundle of one of our handlers (which imports zod from node_modules) and its source map. */
async function bundleWithMap(): Promise<{ code: string; map: SourceMapJson }> {
  const result = await build({
    entryPoints: [join(__dirname, '..', '..', '..', 'handlers', 'platform', 'config.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    sourcemap: 'external',
    write: false,
    outdir: 'out',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
  const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith('.map'))?.text ?? '{}') as SourceMapJson;
  return { code, map };
}

/** Where in the generated code (0-based line and column) a text first appears. */
function positionOf(code: string, text: string): { line: number; column: number } {
  const index = code.indexOf(text);
  if (index < 0) throw new Error(`${text} is not in the bundle`);
  const before = code.slice(0, index).split('\n');
  return { line: before.length - 1, column: before.at(-1)?.length ?? 0 };
}

describe('own-code source maps', () => {
  it('keeps the mappings into our files and drops those into node_modules', async () => {
    const { code, map } = await bundleWithMap();
    const stripped = ownCodeOnly(map);
    const ours = positionOf(code, 'function loadConfig');
    const theirs = positionOf(code, 'function $constructor');

    expect(new SourceMap(map as never).findEntry(theirs.line, theirs.column)).toMatchObject({ originalSource: expect.stringContaining('node_modules/zod') });
    expect(new SourceMap(stripped as never).findEntry(ours.line, ours.column)).toMatchObject({ originalSource: expect.stringContaining('handlers/platform/config.ts') });
    expect(new SourceMap(stripped as never).findEntry(theirs.line, theirs.column)).not.toMatchObject({ originalSource: expect.anything() });
    expect(stripped.mappings.length).toBeLessThan(map.mappings.length / 5);
    expect(stripped.sourcesContent).toBeUndefined();
  });
});
