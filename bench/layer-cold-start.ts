/**
 * Layers or bundles (docs/layers-and-efs.md): the cold start of one function, volumeRetirement,
 * built two ways from the same code, each handling one first event (`validate`: no AWS call, so
 * the figure is the cost of loading and constructing what the function loads at module scope:
 * the EC2 and SNS clients, Powertools Logger, middy):
 *   npx tsx bench/layer-cold-start.ts [--runs 15] [--keep <folder>]
 * - bundled: as serverless.yml builds it today (esbuild, ESM, minified, the SDK and Powertools
 *   bundled and tree-shaken);
 * - layer: the same esbuild build with the SDK (@aws-sdk/*, @smithy/*, @aws-crypto/*) and
 *   Powertools marked external, and a layer folder built as its zip would be
 *   (`nodejs/node_modules`, `npm install --omit=dev` of the versions package-lock.json pins) that
 *   the function resolves them from: the layer's node_modules is linked next to the function's
 *   folder, as /opt/nodejs/node_modules is on Lambda's module path.
 * Runs alternate (bundled, layer, bundled, ...) in fresh Node 24 processes (bench/support/cold-start-runner.mjs);
 * the medians of wall and CPU time are printed, with the sizes of what would be uploaded.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { ROOT } from '../shared/stage-env';
import { esbuildBundleOptions } from '../deploy/esbuild-options';
import { median } from './support/report';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, keep: { type: 'string' } } });
const RUNS = Number(values.runs);
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const RUNNER = join(ROOT, 'bench', 'support', 'cold-start-runner.mjs');
/** What goes into the layer: the SDK clients and Powertools the function imports, at the versions of package-lock.json. */
const LAYER_PACKAGES = ['@aws-sdk/client-ec2', '@aws-sdk/client-sns', '@aws-lambda-powertools/logger'];
const EXTERNAL = ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*', '@aws-lambda-powertools/*', '@aws/*'];

/** The bundle options of serverless.yml (custom.esbuild, deploy/esbuild-options.ts), for one handler. */
const options = (outdir: string, external: string[] = []): BuildOptions => ({
  entryPoints: { 'handlers/volume-retirement/handler': join(ROOT, 'handlers', 'volume-retirement', 'handler.ts') },
  outdir,
  ...esbuildBundleOptions(),
  external,
  logLevel: 'warning',
});

const version = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const duOf = (folder: string) => Number(execFileSync('du', ['-sb', folder], { encoding: 'utf8' }).split('\t')[0]);
const zipSize = (folder: string, file: string) => {
  execFileSync('zip', ['-qr9', file, '.'], { cwd: folder });
  return duOf(file);
};

async function main(): Promise<void> {
  const scratch = values.keep ?? mkdtempSync(join(tmpdir(), 'layer-cold-start-'));
  try {
    const bundled = join(scratch, 'bundled', 'task');
    const layered = join(scratch, 'layer', 'task');
    const layer = join(scratch, 'layer-zip');
    await build(options(bundled));
    await build(options(layered, EXTERNAL));
    mkdirSync(join(layer, 'nodejs'), { recursive: true });
    writeFileSync(join(layer, 'nodejs', 'package.json'), JSON.stringify({ name: 'layer', private: true }));
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', ...LAYER_PACKAGES.map((name) => `${name}@${version(name)}`)], {
      cwd: join(layer, 'nodejs'),
      stdio: 'ignore',
    });
    // /opt/nodejs/node_modules on Lambda; here the folder above the function's (Node's resolution walks up).
    symlinkSync(join(layer, 'nodejs', 'node_modules'), join(scratch, 'layer', 'node_modules'));
    const event = join(scratch, 'event.json');
    writeFileSync(event, JSON.stringify({ task: 'validate', input: { dryRun: true, ageLimit: 14 } }));
    const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', NOTIFICATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:bench', POWERTOOLS_LOG_LEVEL: 'WARN' };
    const handlerOf = (task: string) => join(task, 'handlers', 'volume-retirement', 'handler.mjs');
    const run = (task: string) => {
      const result = spawnSync(NODE, [RUNNER, handlerOf(task), event], { env, encoding: 'utf8' });
      const line = result.stdout.split('\n').find((l) => l.startsWith('COLD_START_RESULT '));
      const outcome = JSON.parse(line?.slice('COLD_START_RESULT '.length) ?? '{"ok":false}') as { ok: boolean; loadMs: number; totalMs: number; cpuMs: number; error?: string };
      if (!outcome.ok) throw new Error(`${task}: ${outcome.error ?? result.stderr}`);
      return outcome;
    };
    const figures: Record<'bundled' | 'layer', { loadMs: number[]; totalMs: number[]; cpuMs: number[] }> = {
      bundled: { loadMs: [], totalMs: [], cpuMs: [] },
      layer: { loadMs: [], totalMs: [], cpuMs: [] },
    };
    run(bundled);
    run(layered); // warm the file cache for both
    for (let i = 0; i < RUNS; i++) {
      for (const [name, task] of (i % 2 ? [['layer', layered], ['bundled', bundled]] : [['bundled', bundled], ['layer', layered]]) as ['bundled' | 'layer', string][]) {
        const outcome = run(task);
        figures[name].loadMs.push(outcome.loadMs);
        figures[name].totalMs.push(outcome.totalMs);
        figures[name].cpuMs.push(outcome.cpuMs);
      }
    }
    const sizes = {
      bundled: zipSize(bundled, join(scratch, 'bundled.zip')),
      layerFunction: zipSize(layered, join(scratch, 'layer-function.zip')),
      layer: zipSize(layer, join(scratch, 'layer.zip')),
    };
    process.stdout.write(`volumeRetirement cold start (first event: validate), median of ${RUNS} interleaved runs each, Node ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()}\n`);
    process.stdout.write('  variant   import ms   to answer ms   CPU ms   upload\n');
    for (const name of ['bundled', 'layer'] as const) {
      const f = figures[name];
      const upload = name === 'bundled' ? `${(sizes.bundled / 1024).toFixed(0)} KiB zip` : `${(sizes.layerFunction / 1024).toFixed(0)} KiB zip + layer ${(sizes.layer / 1024 / 1024).toFixed(1)} MiB zip`;
      process.stdout.write(`  ${name.padEnd(9)} ${median(f.loadMs).toFixed(0).padStart(9)} ${median(f.totalMs).toFixed(0).padStart(14)} ${median(f.cpuMs).toFixed(0).padStart(8)}   ${upload}\n`);
    }
    process.stdout.write(`  ratio layer/bundled (to answer): ${(median(figures.layer.totalMs) / median(figures.bundled.totalMs)).toFixed(2)}\n`);
    if (values.keep) process.stdout.write(`  builds kept in ${scratch}: bundled/task, layer/task (+ layer/node_modules -> layer-zip/nodejs/node_modules)\n`);
  } finally {
    if (!values.keep) rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
