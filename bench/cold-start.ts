/**
 * Cold start, source maps and package size of each function, from the prod packages
 * (`sls package --stage prod`), side by side with their floors in the same run:
 *   npx tsx bench/cold-start.ts [--runs 7] [--profile <folder>]
 * (--profile: a CPU profile, `--cpu-prof-interval 100`, of each deployed and baseline run, named for its function:
 *  summarise with bench/support/profile-summary.ts.)
 * - Cold start: a fresh Node process imports the function's bundle (as unzipped from its package)
 *   and handles one first event against a local AWS of this run's own (fauxqs + moto on free ports,
 *   the prod template's resources); baseline: a bundle (same esbuild options) that only constructs
 *   the SDK clients that event needs, at module scope, and makes the same first call.
 * - Source maps: the functions map stack traces when one is printed (handlers/platform/stack-traces.ts),
 *   reading a bundle's .map then, not at load: the bundle as packaged against the same bundle shipped
 *   without its .map files; and, for the record, Node's own `--enable-source-maps` (reads every map
 *   at load) against the same.
 * - Package size: the function's zip against the same handler shipped unbundled: its `tsc` output
 *   plus the production node_modules (`npm ci --omit=dev` into a scratch folder), zipped.
 * Runs are interleaved (the variants of a function one after another, in a rotated order each
 * round) so a busy machine disturbs all sides alike; figures are medians, of wall time (the goal) and
 * of the CPU time each process used (which other work on a shared machine disturbs far less).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { toS3Event } from '../local-aws/s3-notifications';
import { toSqsEvent } from '../local-aws/sqs-event-source';
import { build } from 'esbuild';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type CfnResources, resolveIntrinsics } from '../local-aws/intrinsics';
import { freeLoopbackPort } from '../local-aws/emulators';
import { startLocalAws } from '../local-aws/stack';
import { ROOT } from '../shared/stage-env';
import { formatTable, median, type Row, score } from './support/report';

const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const SLS = join(ROOT, 'node_modules', '.bin', 'sls');
const RUNNER = join(ROOT, 'bench', 'support', 'cold-start-runner.mjs');
const SOURCE_BUCKET = 'bench-cold-start-source';
const OBJECT_KEY = 'reports/cold start.txt';

/** What each function's first event needs, and the floor: only those clients and the same calls. */
interface FunctionCase {
  name: string;
  folder: string;
  event: (env: Record<string, string>) => unknown;
  /** Overrides of the function's environment as packaged. */
  env?: Record<string, string>;
  /** The floor's source: constructs the clients at module scope, makes the same first call(s). */
  baseline: string;
  baselineWhat: string;
}

const copyCall = `s3.send(new CopyObjectCommand({ Bucket: process.env.DEST_BUCKET, Key: ${JSON.stringify(OBJECT_KEY)}, CopySource: ${JSON.stringify(`${SOURCE_BUCKET}/${OBJECT_KEY.split('/').map(encodeURIComponent).join('/')}`)} }))`;

/** The copier's calls for one small object whose key the destination does not hold yet: HeadObject of the source, CopyObject. */
const headsAndCopy = `
  await s3.send(new HeadObjectCommand({ Bucket: ${JSON.stringify(SOURCE_BUCKET)}, Key: ${JSON.stringify(OBJECT_KEY)} }));
  const output = await ${copyCall};`;

/** S3 alone and the copier's calls: what a copy-object job needs. */
const copyBaseline = `
import { CopyObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async () => {${headsAndCopy}
  return { eTag: output.CopyObjectResult?.ETag };
};`;

/** S3 and SNS, the copier's calls and one Publish: what s3Copier's event needs (copy, then announce). */
const copyAndAnnounceBaseline = `
import { CopyObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
const s3 = new S3Client({});
const sns = new SNSClient({});
export const handler = async () => {${headsAndCopy}
  await sns.send(new PublishCommand({ TopicArn: process.env.NOTIFICATIONS_TOPIC_ARN, Message: JSON.stringify({ eTag: output.CopyObjectResult?.ETag }) }));
  return { copied: 1 };
};`;

// The event S3 sends for the put, built (key encoding included) as the local AWS builds it.
const s3PutEvent = toS3Event({ bucket: SOURCE_BUCKET, key: OBJECT_KEY, eventName: 'ObjectCreated:Put', sourceIp: '127.0.0.1' }, { size: 5, eTag: 'bench' }, 'us-east-1', '0001');

const CASES: FunctionCase[] = [
  {
    name: 's3Copier',
    folder: 's3-copier',
    event: () => s3PutEvent,
    // The object the bench created, in a bucket of its own (no notification on it to fire).
    env: { SOURCE_BUCKET },
    baseline: copyAndAnnounceBaseline,
    baselineWhat: 'S3 + SNS clients, HeadObject + CopyObject + Publish',
  },
  {
    name: 'ec2Scheduler',
    folder: 'ec2-scheduler',
    // The reconcile rule's event; the bench's local EC2 has no instances, so one DescribeInstances
    // and nothing to announce.
    event: () => JSON.parse(readFileSync(join(ROOT, 'events', 'ec2-reconcile.json'), 'utf8')) as unknown,
    baseline: `
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
const ec2 = new EC2Client({});
export const handler = async () => {
  const output = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['Schedule'] }], MaxResults: 1000 }));
  return { reservations: output.Reservations?.length ?? 0 };
};`,
    baselineWhat: 'EC2 client + DescribeInstances (reconcile, no instances)',
  },
  {
    name: 'snsNotifier',
    folder: 'sns-notifier',
    event: () => JSON.parse(readFileSync(join(ROOT, 'events', 'sns-object-copied.json'), 'utf8')) as unknown,
    // As deployed (prod): the webhooks are read from the SSM SecureString parameter
    // WEBHOOK_URLS_PARAMETER names (the bench's moto serves SSM, AWS_ENDPOINT_URL_SSM), then the
    // notification is POSTed to the one webhook it lists (an HTTP server of the bench answering 200).
    baseline: `
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
const ssm = new SSMClient({});
export const handler = async (event) => {
  const parameter = await ssm.send(new GetParameterCommand({ Name: process.env.WEBHOOK_URLS_PARAMETER, WithDecryption: true }));
  const message = JSON.parse(event.Records[0].Sns.Message);
  const response = await fetch(parameter.Parameter.Value, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: message.type }) });
  return { status: response.status };
};`,
    baselineWhat: 'SSM client, GetParameter (decrypted) + one webhook POST (fetch)',
  },
  {
    name: 'sqsConsumer',
    folder: 'sqs-consumer',
    event: () =>
      toSqsEvent(
        [{ MessageId: 'bench-1', ReceiptHandle: 'bench', Body: JSON.stringify({ type: 'copy-object', bucket: SOURCE_BUCKET, key: OBJECT_KEY }), Attributes: { ApproximateReceiveCount: '1' } }],
        'arn:aws:sqs:us-east-1:000000000000:bench-work',
        'us-east-1',
      ),
    baseline: copyBaseline,
    baselineWhat: 'S3 client, HeadObject + CopyObject (a copy-object job)',
  },
];

/** The esbuild options of serverless.yml's custom.esbuild that shape the bundle. */
function esbuildOptionsOf(template: { custom?: { esbuild?: Record<string, unknown> } }): Record<string, unknown> {
  const options = template.custom?.esbuild ?? {};
  const picked: Record<string, unknown> = {};
  for (const key of ['minify', 'target', 'platform', 'format', 'mainFields', 'banner', 'splitting']) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  return picked;
}

/** `sls package --stage prod` into a scratch folder; the packaged functions unzipped beside it. */
export function packageProd(work: string): { packageDir: string; unzipped: string; template: Record<string, unknown>; state: Record<string, unknown> } {
  const packageDir = join(work, 'package');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const result = spawnSync(SLS, ['package', '--stage', 'prod', '--package', packageDir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ESBUILD_WORK_FOLDER: join(work, 'esbuild') },
  });
  if (result.status !== 0) throw new Error(`sls package --stage prod failed:\n${result.stdout}\n${result.stderr}`);
  const unzipped = join(work, 'functions');
  for (const { name } of CASES) {
    mkdirSync(join(unzipped, name), { recursive: true });
    execFileSync('unzip', ['-qo', join(packageDir, `${name}.zip`), '-d', join(unzipped, name)]);
  }
  const template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as Record<string, unknown>;
  const state = JSON.parse(readFileSync(join(packageDir, 'serverless-state.json'), 'utf8')) as Record<string, unknown>;
  return { packageDir, unzipped, template, state };
}

function bundleFileOf(unzipped: string, { name, folder }: FunctionCase): string {
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const file = join(unzipped, name, 'handlers', folder, `handler${extension}`);
    if (existsSync(file)) return file;
  }
  throw new Error(`No handler bundle for ${name} in its package`);
}

interface RunResult {
  ok: boolean;
  totalMs?: number;
  loadMs?: number;
  cpuMs?: number;
  error?: string;
}

function runColdStart(bundle: string, eventFile: string, env: NodeJS.ProcessEnv, profile?: { folder: string; name: string }): Promise<RunResult> {
  const flags = profile ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profile.folder, '--cpu-prof-name', `${profile.name}-${Date.now()}.cpuprofile`] : [];
  return new Promise((resolve) => {
    const child = spawn(NODE, [...flags, RUNNER, bundle, eventFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('exit', () => {
      const line = output.split('\n').find((text) => text.startsWith('COLD_START_RESULT '));
      resolve(line ? (JSON.parse(line.slice('COLD_START_RESULT '.length)) as RunResult) : { ok: false, error: output.slice(-2000) });
    });
  });
}

/** The scratch install the unbundled baseline ships: production node_modules of package-lock.json. */
function productionNodeModules(): string {
  const lock = readFileSync(join(ROOT, 'package-lock.json'));
  const folder = join(tmpdir(), 'messaging-workers-bench', `production-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`);
  if (existsSync(join(folder, 'node_modules', '.package-lock.json'))) return folder;
  mkdirSync(folder, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(folder, 'package.json'));
  cpSync(join(ROOT, 'package-lock.json'), join(folder, 'package-lock.json'));
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: folder, stdio: 'ignore' });
  return folder;
}

/** The function's handler as `tsc` emits it (its import closure) plus production node_modules, zipped. */
function unbundledZipSize(work: string, production: string, fn: FunctionCase): number {
  const folder = join(work, 'unbundled', fn.name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  // tsc emits despite type errors of a file compiled outside the project's tsconfig (its lib and
  // types settings); the project's own typecheck is `npm run typecheck`. The output must be there.
  spawnSync(
    join(ROOT, 'node_modules', '.bin', 'tsc'),
    [join(ROOT, 'handlers', fn.folder, 'handler.ts'), '--outDir', folder, '--rootDir', ROOT, '--module', 'commonjs', '--target', 'ES2023', '--lib', 'ES2023,DOM', '--types', 'node', '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule', '--sourceMap'],
    { cwd: ROOT, stdio: 'ignore' },
  );
  if (!existsSync(join(folder, 'handlers', fn.folder, 'handler.js'))) throw new Error(`tsc emitted no handler for ${fn.name}`);
  cpSync(join(production, 'node_modules'), join(folder, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  const zip = join(work, 'unbundled', `${fn.name}.zip`);
  rmSync(zip, { force: true });
  execFileSync('zip', ['-qr', '-y', zip, '.'], { cwd: folder });
  rmSync(folder, { recursive: true, force: true });
  return statSync(zip).size;
}

export async function coldStartRows(options: { runs: number; work?: string; profile?: string; log?: (line: string) => void }): Promise<Row[]> {
  const log = options.log ?? (() => undefined);
  const work = options.work ?? join(tmpdir(), 'messaging-workers-bench', `cold-start-${process.pid}`);
  log('cold start: sls package --stage prod');
  const { packageDir, unzipped, template, state } = packageProd(work);
  const resources = (template as { Resources: CfnResources }).Resources;
  const service = (state as { service: { custom?: { esbuild?: Record<string, unknown> } } }).service;

  // A local AWS of this run's own, with the prod template's resources (no triggers).
  const port = await freeLoopbackPort();
  const ec2Port = await freeLoopbackPort();
  // moto_server (EC2) serves SSM too: the notifier's webhook parameter is read from it.
  const endpoints = { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ENDPOINT_URL_EC2: `http://127.0.0.1:${ec2Port}`, AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${ec2Port}` };
  Object.assign(process.env, endpoints, { OFFLINE_LAMBDA_PORT: String(await freeLoopbackPort()), LOCAL_AWS_LOG_LEVEL: 'ERROR' });
  log('cold start: local AWS with the prod resources');
  const localAws = await startLocalAws('prod', template as never);
  const rows: Row[] = [];
  try {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: endpoints.AWS_ENDPOINT_URL, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await s3.send(new CreateBucketCommand({ Bucket: SOURCE_BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: SOURCE_BUCKET, Key: OBJECT_KEY, Body: 'hello' }));
    // moto answers its first EC2 request slowly (it loads its images): not a cost of the function.
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: endpoints.AWS_ENDPOINT_URL_EC2, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ec2.send(new DescribeInstancesCommand({}));
    ec2.destroy();
    // The notifier's webhook: a local server that takes the POST. Its list, in SSM as on AWS.
    const webhook = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
    const ssm = new SSMClient({ region: 'us-east-1', endpoint: endpoints.AWS_ENDPOINT_URL_SSM, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

    const account = { region: 'us-east-1', accountId: '000000000000', sqsEndpoint: endpoints.AWS_ENDPOINT_URL };
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      ...endpoints,
    };
    const esbuildOptions = esbuildOptionsOf(service);
    const prepared = await Promise.all(
      CASES.map(async (fn) => {
        const resource = Object.values(resources).find((candidate) => candidate.Type === 'AWS::Lambda::Function' && String(candidate.Properties?.Handler).startsWith(`handlers/${fn.folder}/`));
        const variables = resolveIntrinsics((resource?.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}, resources, account) as Record<string, string>;
        const eventFile = join(work, `${fn.name}-event.json`);
        writeFileSync(eventFile, JSON.stringify(fn.event(variables)));
        const baselineDir = join(work, 'baseline', fn.name);
        await build({
          ...esbuildOptions,
          stdin: { contents: fn.baseline, resolveDir: ROOT, loader: 'ts', sourcefile: `${fn.name}-baseline.ts` },
          bundle: true,
          outdir: baselineDir,
          entryNames: 'handler',
          outExtension: esbuildOptions.format === 'esm' ? { '.js': '.mjs' } : {},
          logLevel: 'silent',
        });
        const baselineBundle = join(baselineDir, esbuildOptions.format === 'esm' ? 'handler.mjs' : 'handler.js');
        const { NODE_OPTIONS: nodeOptions = '', ...functionEnv } = { ...variables, ...fn.env };
        if (functionEnv.WEBHOOK_URLS_PARAMETER) {
          await ssm.send(new PutParameterCommand({ Name: functionEnv.WEBHOOK_URLS_PARAMETER, Value: webhookUrl, Type: 'SecureString', Overwrite: true }));
        }
        // The same package without its source maps: what mapping stack traces costs a cold start.
        const withoutMapsDir = join(work, 'without-maps', fn.name);
        cpSync(join(unzipped, fn.name), withoutMapsDir, { recursive: true, filter: (source) => !source.endsWith('.map') });
        const bundle = bundleFileOf(unzipped, fn);
        const bundleWithoutMaps = join(withoutMapsDir, relative(join(unzipped, fn.name), bundle));
        return { fn, eventFile, baselineBundle, bundle, bundleWithoutMaps, functionEnv, nodeOptions };
      }),
    );
    type Variant = 'deployed' | 'withoutMaps' | 'nodeMaps' | 'baseline';
    const VARIANTS: Variant[] = ['deployed', 'withoutMaps', 'nodeMaps', 'baseline'];
    // Wall time (what the goal is about) and CPU time (less disturbed by other work on the machine).
    const samples = new Map<string, Record<Variant, { wall: number[]; cpu: number[] }>>();
    for (const { fn } of prepared) samples.set(fn.name, Object.fromEntries(VARIANTS.map((variant) => [variant, { wall: [], cpu: [] }])) as never);
    for (let run = 0; run < options.runs; run++) {
      log(`cold start: round ${run + 1} of ${options.runs}`);
      for (const { fn, eventFile, baselineBundle, bundle, bundleWithoutMaps, functionEnv, nodeOptions } of prepared) {
        const env = { ...baseEnv, ...functionEnv };
        const runs: Record<Variant, () => Promise<RunResult>> = {
          deployed: () => runColdStart(bundle, eventFile, { ...env, NODE_OPTIONS: nodeOptions }, options.profile ? { folder: options.profile, name: fn.name } : undefined),
          withoutMaps: () => runColdStart(bundleWithoutMaps, eventFile, { ...env, NODE_OPTIONS: nodeOptions }),
          nodeMaps: () => runColdStart(bundle, eventFile, { ...env, NODE_OPTIONS: `${nodeOptions} --enable-source-maps`.trim() }),
          baseline: () => runColdStart(baselineBundle, eventFile, env, options.profile ? { folder: options.profile, name: `${fn.name}-baseline` } : undefined),
        };
        // Each round in another order (rotated), so no side always runs first or after another.
        for (const variant of [...VARIANTS.slice(run % VARIANTS.length), ...VARIANTS.slice(0, run % VARIANTS.length)]) {
          // Every run copies for real: the copier skips an object the destination already holds.
          if (functionEnv.DEST_BUCKET) await s3.send(new DeleteObjectCommand({ Bucket: functionEnv.DEST_BUCKET, Key: OBJECT_KEY }));
          const result = await runs[variant]();
          if (!result.ok || result.totalMs === undefined || result.cpuMs === undefined) throw new Error(`cold start of ${fn.name} (${variant}) failed: ${result.error}`);
          samples.get(fn.name)?.[variant].wall.push(result.totalMs);
          samples.get(fn.name)?.[variant].cpu.push(result.cpuMs);
        }
      }
    }
    for (const measure of ['wall', 'cpu'] as const) {
      const suffix = measure === 'cpu' ? ', CPU time' : '';
      for (const { fn, nodeOptions } of prepared) {
        const sample = samples.get(fn.name);
        if (!sample) continue;
        rows.push({
          section: `cold start${suffix}`,
          what: `${fn.name} (import + first event, as deployed${nodeOptions ? `: ${nodeOptions}` : ''})`,
          figure: median(sample.deployed[measure]),
          unit: 'ms',
          baseline: { what: fn.baselineWhat, figure: median(sample.baseline[measure]) },
          goal: { kind: 'max-ratio', value: 1.15 },
        });
      }
    }
    for (const measure of ['wall', 'cpu'] as const) {
      const suffix = measure === 'cpu' ? ', CPU time' : '';
      for (const { fn, nodeOptions } of prepared) {
        const sample = samples.get(fn.name);
        if (!sample) continue;
        rows.push({
          section: `source maps${suffix}`,
          what: `${fn.name} cold start as deployed (${nodeOptions.includes('--enable-source-maps') ? '--enable-source-maps' : 'traces mapped when printed'})`,
          figure: median(sample.deployed[measure]),
          unit: 'ms',
          baseline: { what: 'same package without its .map files', figure: median(sample.withoutMaps[measure]) },
          goal: { kind: 'max-ratio', value: 1.05 },
        });
      }
      for (const { fn } of prepared) {
        const sample = samples.get(fn.name);
        if (!sample) continue;
        rows.push({
          section: `source maps${suffix}`,
          what: `${fn.name} cold start with Node's --enable-source-maps (maps read at load)`,
          figure: median(sample.nodeMaps[measure]),
          unit: 'ms',
          baseline: { what: 'same package without its .map files', figure: median(sample.withoutMaps[measure]) },
          goal: { kind: 'report' },
        });
      }
    }
    s3.destroy();
    ssm.destroy();
    webhook.close();
  } finally {
    await localAws.stop();
  }

  log('package size: production node_modules (npm ci --omit=dev) and tsc output');
  const production = productionNodeModules();
  for (const fn of CASES) {
    rows.push({
      section: 'package size',
      what: `${fn.name}.zip`,
      figure: statSync(join(packageDir, `${fn.name}.zip`)).size / 1e6,
      unit: 'MB',
      baseline: { what: 'tsc output + production node_modules, zipped', figure: unbundledZipSize(work, production, fn) / 1e6 },
      goal: { kind: 'max-ratio', value: 0.1 },
    });
  }
  rmSync(work, { recursive: true, force: true });
  return rows;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, profile: { type: 'string' } } });
  coldStartRows({ runs: Number(values.runs), profile: values.profile, log: (line) => process.stderr.write(`${line}\n`) })
    .then((rows) => process.stdout.write(`${formatTable(rows.map(score))}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
