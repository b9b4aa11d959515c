/**
 * Where a cold start goes, part by part: each dependency the functions load, bundled alone with
 * the functions' esbuild options and imported in a fresh Node process (median of --runs,
 * interleaved), next to an empty module. The parts add up roughly to a function's import:
 *   npx tsx bench/support/cold-start-parts.ts [--runs 9]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { ROOT } from '../../shared/stage-env';
import { median } from './report';

const PARTS: Record<string, string> = {
  'empty module': 'export const handler = async () => 1;',
  'zod (classic API, what the schemas used before zod/mini)': "import { z } from 'zod'; export const s = z.object({ a: z.string() }); export const handler = async () => s.parse({ a: 'x' });",
  'zod/mini (same schema)': "import * as z from 'zod/mini'; export const s = z.object({ a: z.string() }); export const handler = async () => s.parse({ a: 'x' });",
  'zod/mini + English messages (handlers/platform/zod.ts)': "import * as z from './handlers/platform/zod'; export const s = z.object({ a: z.string() }); export const handler = async () => s.parse({ a: 'x' });",
  "zod/mini + zod.locales.en() (every locale bundled)": "import * as z from 'zod/mini'; z.config(z.locales.en()); export const s = z.object({ a: z.string() }); export const handler = async () => s.parse({ a: 'x' });",
  "Powertools parser's SnsSchema (zod classic)": "import { SnsSchema } from '@aws-lambda-powertools/parser/schemas/sns'; export const handler = async () => SnsSchema;",
  'our SNS event schema (zod/mini)': "import { SnsSchema } from './handlers/sns-notifier/event'; export const handler = async () => SnsSchema;",
  'first Intl.DateTimeFormat with a time zone': "export const handler = async () => new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin' });",
  "Intl.supportedValuesOf('timeZone')": "export const handler = async () => Intl.supportedValuesOf('timeZone').includes('Europe/Berlin');",
  'Powertools Logger': "import { Logger } from '@aws-lambda-powertools/logger'; const l = new Logger(); export const handler = async () => l.info('x');",
  'Powertools batch': "import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'; export const handler = async () => [BatchProcessor, EventType, processPartialResponse];",
  'middy core': "import middy from '@middy/core'; export const handler = middy(async () => 1);",
  'S3Client constructed': "import { S3Client } from '@aws-sdk/client-s3'; const c = new S3Client({}); export const handler = async () => c;",
  'SNSClient constructed': "import { SNSClient } from '@aws-sdk/client-sns'; const c = new SNSClient({}); export const handler = async () => c;",
  'S3Client + SNSClient constructed': "import { S3Client } from '@aws-sdk/client-s3'; import { SNSClient } from '@aws-sdk/client-sns'; const a = new S3Client({}); const b = new SNSClient({}); export const handler = async () => [a, b];",
  'EC2Client constructed': "import { EC2Client } from '@aws-sdk/client-ec2'; const c = new EC2Client({}); export const handler = async () => c;",
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
  const work = mkdtempSync(join(tmpdir(), 'cold-start-parts-'));
  try {
    const files: Record<string, string> = {};
    for (const [name, contents] of Object.entries(PARTS)) {
      const outfile = join(work, `${Object.keys(files).length}.mjs`);
      await build({
        stdin: { contents, resolveDir: ROOT, loader: 'ts' },
        bundle: true,
        minify: true,
        target: 'node24',
        platform: 'node',
        format: 'esm',
        mainFields: ['module', 'main'],
        banner: { js: "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);" },
        outfile,
        logLevel: 'silent',
      });
      files[name] = outfile;
    }
    const runner = join(work, 'import.mjs');
    writeFileSync(runner, "const t = performance.now(); const m = await import(process.argv[2]); await m.handler(); process.stderr.write(String(performance.now() - t));\n");
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
    for (let run = 0; run < Number(values.runs); run++) {
      for (const [name, file] of Object.entries(files)) {
        const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'node'), [runner, file], { encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' } });
        samples[name]?.push(Number(result.stderr.trim()));
      }
    }
    process.stdout.write(`import + construct, fresh Node ${process.version} process, median of ${values.runs} (ms):\n`);
    for (const [name, times] of Object.entries(samples)) process.stdout.write(`${median(times).toFixed(1).padStart(8)}  ${name}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
