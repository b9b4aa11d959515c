/**
 * Where a function's cold start goes, by package: its handler bundled with our code only
 * (node_modules left as imports, so the profile names each package), imported in a fresh
 * `node --cpu-prof`, summarised by bench/support/profile-summary.ts:
 *   npx tsx bench/support/profile-cold-start.ts <function folder, e.g. sqs-consumer> [--top 20]
 * The import only (no event): what every cold start pays before the handler runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { ROOT } from '../../local-aws/stage-env';
import { summarise } from './profile-summary';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '20' } } });
  const folder = positionals[0] ?? 'sqs-consumer';
  // Inside the project, so the bundle's imports resolve to node_modules.
  const work = join(ROOT, '.local-aws', `profile-${folder}-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    await build({
      entryPoints: [join(ROOT, 'handlers', folder, 'handler.ts')],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node24',
      outfile: join(work, 'handler.mjs'),
      logLevel: 'silent',
    });
    const runner = join(work, 'import.mjs');
    writeFileSync(runner, `const t = performance.now(); await import('./handler.mjs'); console.log('import ms', (performance.now() - t).toFixed(0));\n`);
    const env = { ...process.env, AWS_REGION: 'us-east-1', DEST_BUCKET: 'bench-destination', NOTIFICATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:bench', SCHEDULE_TAG_KEY: 'Schedule', SCHEDULE_TAG_VALUE: 'office-hours' };
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'node'), ['--cpu-prof', '--cpu-prof-dir', work, runner], { cwd: work, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    const profile = readdirSync(work).find((file) => file.endsWith('.cpuprofile'));
    if (!profile) throw new Error('no profile written');
    process.stdout.write(`${folder}: ${result.stdout.trim()} (unbundled node_modules, so module resolution is in it too)\n`);
    process.stdout.write(`${summarise(JSON.parse(readFileSync(join(work, profile), 'utf8')) as never, Number(values.top))}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
