import { execFileSync, spawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse, relative, resolve, sep } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { build, type Plugin } from 'esbuild';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { ROOT } from '../../shared/stage-env';
import { freeLoopbackPort, startMoto, type Stoppable } from '../../local-aws/emulators';
import { type ConformanceAws, startConformanceAws } from '../conformance/local-aws';
import { type Template, packageDir, packagedTemplate } from './packaged-templates';

/**
 * Each function's zip, alone: unzipped into an empty folder under the system's temp folder (no
 * node_modules anywhere above it), run by Node 24 (node_modules/node, as Lambda's nodejs24.x) with
 * exactly the environment the template gives the function (Refs resolved to the local AWS) plus
 * what Lambda sets, importing the handler the template names and invoking it with its first event
 * of events/ against a local AWS this test starts on free ports. A resolve hook
 * (module.registerHooks) fails every import or require that would resolve outside the folder, so a
 * chunk missing from the zip, or a package left to node_modules, fails here. Also read statically:
 * every import of every bundle file names a file of the zip or a Node built-in, and no bundle
 * carries a native module (the functions run on arm64).
 *
 * Each function's first event is the one its row names, an event of events/ that the function
 * handles without touching what it does not own; where the function has no such real-trigger
 * fixture (the scheduler's housekeeping event went with that action, the retirement's tasks come
 * from the state machine), its pre-traffic sample (handlers/pre-traffic-hook/samples.ts), the
 * event each new version must handle before it gets traffic. A function of the template without
 * a row fails the first test.
 */
const RECONCILED_NOTHING = { action: 'reconcile', dryRun: true, started: [], stopped: [], retained: [], failed: [], unchanged: 0, unknownSchedule: [] };
const VALIDATED = { dryRun: true, ageLimitDays: 30 };
const FUNCTIONS: { name: string; event: string; returns: unknown }[] = [
  { name: 's3Copier', event: 's3-put-unicode-key.json', returns: { copied: 1, skipped: 0, missing: 0, ignored: 0 } },
  // Its pre-traffic sample (handlers/pre-traffic-hook/samples.ts): a dry-run reconcile, which
  // starts and stops nothing (the local EC2 holds no instance).
  { name: 'ec2Scheduler', event: 'ec2-reconcile-dry-run.json', returns: RECONCILED_NOTHING },
  // Its pre-traffic sample too: the state machine's first task, the input check (no AWS call).
  { name: 'volumeRetirement', event: 'volume-retirement-validate.json', returns: VALIDATED },
  { name: 'snsNotifier', event: 'sns-alarm-raised.json', returns: { received: 1, rejected: 0, channels: 0 } },
  // The fixture's second canary fails on purpose, and FIFO hands back the rest of its group.
  { name: 'sqsConsumer', event: 'sqs-fifo-batch.json', returns: { batchItemFailures: [{ itemIdentifier: '3b7e9d21-5c4a-4f6b-9d8e-0a1b2c3d4e02' }, { itemIdentifier: '3b7e9d21-5c4a-4f6b-9d8e-0a1b2c3d4e04' }] } },
];
/**
 * Loaded alone but not run: preTrafficHook's only event is CodeDeploy's lifecycle hook event, and
 * its first call is codedeploy:GetDeployment, which the local AWS does not emulate (moto and
 * fauxqs have no CodeDeploy). Its handler module is imported (every static import resolved inside
 * the zip, its config parsed from the template's environment) and its dynamic imports are checked
 * statically below, like every function's.
 */
const LOADED_ONLY = ['preTrafficHook'];
const ALL = [...FUNCTIONS.map(({ name }) => name), ...LOADED_ONLY];
const NODE_24 = join(ROOT, 'node_modules', 'node', 'bin', 'node');
const LOCAL_ACCOUNT = '000000000000';
const REGION = 'us-east-1';

const unzip = (zip: string, into: string) => execFileSync('unzip', ['-q', zip, '-d', into]);
const filesOf = (folder: string) =>
  readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));

/** Every folder from `folder` up to the root holds no node_modules. */
function nodeModulesAbove(folder: string): string[] {
  const found: string[] = [];
  for (let current = folder; ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules'))) found.push(join(current, 'node_modules'));
    if (current === parse(current).root) return found;
  }
}

function functionOf(template: Template, name: string) {
  const id = `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
  const fn = template.Resources[id];
  if (!fn) throw new Error(`${id} is not in the template`);
  return fn.Properties as { Handler: string; FunctionName: string; Timeout: number; Environment?: { Variables: Record<string, unknown> } };
}

/** The function's environment from the template, Refs and Fn::Sub resolved to the local AWS. */
function environmentOf(template: Template, name: string): Record<string, string> {
  const arnOf = (id: string): string => {
    const resource = template.Resources[id];
    if (resource?.Type === 'AWS::SNS::Topic') return `arn:aws:sns:${REGION}:${LOCAL_ACCOUNT}:${String(resource.Properties.TopicName)}`;
    throw new Error(`no local value for Ref ${id}`);
  };
  const value = (v: unknown): string => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    const { Ref: ref, 'Fn::Sub': sub } = v as { Ref?: string; 'Fn::Sub'?: string };
    if (ref) return arnOf(ref);
    if (typeof sub === 'string') return sub.replace(/\$\{AWS::AccountId\}/g, LOCAL_ACCOUNT).replace(/\$\{AWS::Region\}/g, REGION).replace(/\$\{AWS::Partition\}/g, 'aws');
    throw new Error(`no local value for ${JSON.stringify(v)}`);
  };
  return Object.fromEntries(Object.entries(functionOf(template, name).Environment?.Variables ?? {}).map(([key, v]) => [key, value(v)]));
}

/**
 * What the bundle files import (static and dynamic `import`, `require`), as esbuild parses them,
 * that does not resolve to a file of the folder or a Node built-in.
 */
async function importsOutside(folder: string, files: string[]): Promise<string[]> {
  const outside: string[] = [];
  const inside: Plugin = {
    name: 'inside-the-zip',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: args.path };
        if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { external: true };
        const from = relative(folder, args.importer);
        if (args.path.startsWith('.') || args.path.startsWith('/')) {
          const target = resolve(args.resolveDir, args.path);
          if (!target.startsWith(folder + sep) || !existsSync(target)) outside.push(`${from} -> ${args.path} (${args.kind})`);
          return { path: target, external: true };
        }
        outside.push(`${from} -> ${args.path} (${args.kind}, a package)`);
        return { external: true };
      });
    },
  };
  await build({ entryPoints: files.map((file) => join(folder, file)), bundle: true, write: false, platform: 'node', format: 'esm', outdir: join(folder, '.out'), logLevel: 'silent', plugins: [inside] });
  return outside;
}

const RUNNER = `
import { registerHooks, builtinModules } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
const root = process.cwd() + '/';
const builtins = new Set(builtinModules);
registerHooks({
  resolve(specifier, context, nextResolve) {
    const bare = specifier.replace(/^node:/, '');
    if (specifier.startsWith('node:') || builtins.has(bare.split('/')[0]) || builtins.has(bare)) return nextResolve(specifier, context);
    let resolved;
    try {
      resolved = nextResolve(specifier, context);
    } catch (error) {
      throw new Error('OUTSIDE ' + specifier + ' (from ' + context.parentURL + '): ' + error.message);
    }
    if (!resolved.url.startsWith('file:') || !fileURLToPath(resolved.url).startsWith(root)) {
      throw new Error('OUTSIDE ' + specifier + ' resolved to ' + resolved.url);
    }
    return resolved;
  },
});
const [handlerPath, exportName, eventFile, functionName] = process.argv.slice(2);
const module = await import(pathToFileURL(root + handlerPath + '.mjs').href);
if (eventFile === '--load-only') {
  process.stdout.write('RESULT ' + JSON.stringify({ loaded: typeof module[exportName] }) + '\\n');
  process.exit(0);
}
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = { functionName, functionVersion: '$LATEST', awsRequestId: 'load-alone-1', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:${REGION}:${LOCAL_ACCOUNT}:function:' + functionName, getRemainingTimeInMillis: () => 30000 };
const result = await module[exportName](event, context);
process.stdout.write('RESULT ' + JSON.stringify(result ?? null) + '\\n');
`;

function run(folder: string, args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(NODE_24, ['runner.mjs', ...args], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('close', (status) => done({ status, stdout, stderr })));
}

const STAGE = 'local';
let aws: ConformanceAws;
let moto: Stoppable;
let motoEndpoint: string;
const folders: string[] = [];

beforeAll(async () => {
  const port = await freeLoopbackPort();
  [aws, moto] = await Promise.all([startConformanceAws(), startMoto({ port })]);
  motoEndpoint = `http://127.0.0.1:${port}`;
  const template = packagedTemplate(STAGE);
  const names = environmentOf(template, 's3Copier');
  for (const bucket of [names.SOURCE_BUCKET, names.DEST_BUCKET]) await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await aws.sns.send(new CreateTopicCommand({ Name: String(template.Resources.NotificationsTopic?.Properties.TopicName) }));
  // The object the s3Copier's event names.
  const record = (JSON.parse(readFileSync(join(ROOT, 'events', 's3-put-unicode-key.json'), 'utf8')) as { Records: { s3: { object: { key: string } } }[] }).Records[0];
  const key = decodeURIComponent((record?.s3.object.key ?? '').replace(/\+/g, ' '));
  await aws.s3.send(new PutObjectCommand({ Bucket: names.SOURCE_BUCKET, Key: key, Body: 'hello' }));
}, 60_000);

afterAll(async () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  await Promise.all([aws?.stop(), moto?.stop()]);
});

/** Unzips the function's zip alone, and runs its handler with Node 24 on `eventArg` (an event file, or --load-only). */
async function runAlone(name: string, eventArg: string) {
  const template = packagedTemplate(STAGE);
  const fn = functionOf(template, name);
  const folder = mkdtempSync(join(tmpdir(), `load-alone-${name}-`));
  folders.push(folder);
  unzip(join(packageDir(STAGE), `${name}.zip`), folder);
  writeFileSync(join(folder, 'runner.mjs'), RUNNER);
  const handler = fn.Handler.slice(0, fn.Handler.lastIndexOf('.'));
  const exportName = fn.Handler.slice(fn.Handler.lastIndexOf('.') + 1);
  const env = {
    ...environmentOf(template, name),
    // What Lambda sets, and where the local AWS is.
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_LAMBDA_FUNCTION_NAME: fn.FunctionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_ENDPOINT_URL_EC2: motoEndpoint,
    LAMBDA_TASK_ROOT: folder,
    NODE_PATH: '',
    PATH: dirname(NODE_24),
  };

  const result = await run(folder, [handler, exportName, eventArg, fn.FunctionName], env);

  const returned = result.stdout.split('\n').find((line) => line.startsWith('RESULT '));
  return {
    nodeModulesAbove: nodeModulesAbove(folder),
    outcome: { status: result.status, outside: result.stderr.match(/OUTSIDE .*/g) ?? [], returned: returned && (JSON.parse(returned.slice('RESULT '.length)) as unknown) },
    stderr: result.stderr,
  };
}

describe('each packaged function, unzipped alone', () => {
  it('has a row for every function of the template (a new function must be run or loaded here)', () => {
    const keys = Object.entries(packagedTemplate(STAGE).Resources)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .map(([id]) => `${id.charAt(0).toLowerCase()}${id.slice(1).replace(/LambdaFunction$/, '')}`);

    expect([...ALL].sort()).toEqual(keys.sort());
    expect(FUNCTIONS.filter(({ event }) => !existsSync(join(ROOT, 'events', event)))).toEqual([]);
  });

  it.each(FUNCTIONS)('$name loads every chunk from its own zip and runs its first event ($event) with Node 24 against the local AWS', async ({ name, event, returns }) => {
    const { nodeModulesAbove: above, outcome, stderr } = await runAlone(name, join(ROOT, 'events', event));

    expect(above).toEqual([]);
    expect({ ...outcome, stderr: outcome.status === 0 ? '' : stderr.slice(-2000) }).toEqual({ status: 0, outside: [], returned: returns, stderr: '' });
  });

  it.each(LOADED_ONLY)('%s loads every chunk its handler imports from its own zip with Node 24 (not run: the local AWS has no CodeDeploy)', async (name) => {
    const { nodeModulesAbove: above, outcome, stderr } = await runAlone(name, '--load-only');

    expect(above).toEqual([]);
    expect({ ...outcome, stderr: outcome.status === 0 ? '' : stderr.slice(-2000) }).toEqual({ status: 0, outside: [], returned: { loaded: 'function' }, stderr: '' });
  });

  it.each(ALL)('%s (prod): every static and dynamic import names a file of the zip or a Node built-in', async (name) => {
    const folder = mkdtempSync(join(tmpdir(), `imports-${name}-`));
    folders.push(folder);
    unzip(join(packageDir('prod'), `${name}.zip`), folder);
    const files = filesOf(folder);

    const outside = await importsOutside(
      folder,
      files.filter((file) => file.endsWith('.mjs')),
    );

    expect(files.length).toBeGreaterThan(2);
    expect(outside).toEqual([]);
  });

  it.each(ALL)('%s (prod) carries no native module (arm64: nothing compiled for the build machine)', (name) => {
    const listing = execFileSync('unzip', ['-Z1', join(packageDir('prod'), `${name}.zip`)], { encoding: 'utf8' }).split('\n');

    expect(listing.filter((file) => /\.node$|(^|\/)binding\.gyp$|(^|\/)prebuilds\//.test(file))).toEqual([]);
  });
});
