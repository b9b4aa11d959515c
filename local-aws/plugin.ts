import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { type CfnResources, resolveIntrinsics } from './intrinsics';
import type { FromLocalAws, ToLocalAws } from './run-local-aws';
import { compileTemplate } from './template';

interface ServerlessInstance {
  processedInput?: { commands?: string[]; options?: { stage?: string } };
  classes: { Error: new (message: string) => Error };
  pluginManager: Parameters<typeof compileTemplate>[0]['pluginManager'];
  service: {
    custom?: { localAws?: { seedInstances?: boolean | string; stateWaitMs?: number | string } };
    provider: { environment?: Record<string, unknown>; region?: string; stage?: string; compiledCloudFormationTemplate?: unknown };
    resources?: { Resources?: CfnResources };
    getAllFunctions(): string[];
    getFunction(name: string): { environment?: Record<string, unknown> };
  };
}

/** What answers at the local AWS endpoint: our local AWS (and its stage), nothing, or something else. */
type EndpointState = { kind: 'local-aws'; stage: string } | { kind: 'free' } | { kind: 'other'; detail: string };

function probe(endpoint: string): Promise<EndpointState> {
  // node:http rather than fetch, which refuses some ports outright (fetch's "bad ports").
  return new Promise((resolve) => {
    const request = get(`${endpoint}/_local-aws`, { timeout: 5000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let stage: unknown;
        try {
          stage = (JSON.parse(text) as { stage?: unknown }).stage;
        } catch {
          // not our local AWS
        }
        resolve(response.statusCode === 200 && typeof stage === 'string' ? { kind: 'local-aws', stage } : { kind: 'other', detail: `it answers HTTP ${response.statusCode}` });
      });
    });
    request.once('timeout', () => request.destroy(new Error('no answer within 5 s')));
    request.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? { kind: 'free' } : { kind: 'other', detail: error.message }),
    );
  });
}

/**
 * The project's serverless plugin for local runs, active when AWS_ENDPOINT_URL points the
 * functions at a local endpoint (the `.env.<stage>` of stages local and test); deploys are
 * untouched.
 * - `sls offline start`: compiles the stage's CloudFormation template in this same run, starts
 *   the local AWS (emulators, resources from that template, the S3/SNS/SQS triggers) in a process
 *   of its own, lets serverless-offline start the function runtime, then starts the triggers and
 *   prints the summary; Ctrl-C stops it all. If a local AWS of the same stage already runs
 *   (`npm run local-aws`), it is used instead.
 * - `sls invoke local`: says in one line how to start the local AWS when it is not running.
 * - Both: resolves the CloudFormation references in the functions' environment
 *   (`!Ref NotificationsTopic`) to the local values, which would otherwise reach a function as
 *   "[object Object]".
 */
export class LocalAwsPlugin {
  readonly hooks: Record<string, () => Promise<void> | void>;
  private child?: ChildProcess;
  private provisioned?: Promise<void>;

  /**
   * `sls local-aws-template --stage X --output <file>`: the stage's template as `sls offline start`
   * compiles it, written to a file, for the standalone local AWS (`npm run local-aws`). Unlike
   * `sls package` it neither bundles nor touches `.serverless/`, which any concurrent `sls package`
   * of the same service empties.
   */
  readonly commands = {
    'local-aws-template': {
      usage: "Writes the stage's CloudFormation template, compiled without bundling, to --output",
      lifecycleEvents: ['write'],
      options: { output: { usage: 'File to write the template to', type: 'string', required: true } },
    },
  };

  constructor(
    private readonly serverless: ServerlessInstance,
    private readonly options: { output?: string } = {},
  ) {
    // `initialize` runs before any command's own hooks (invoke local resolves `Ref`s against the
    // CloudFormation API in its first hook, which the local AWS does not serve).
    this.hooks = {
      'local-aws-template:write': () => this.writeTemplate(),
      initialize: () => this.onInitialize(),
      // after serverless-esbuild's bundling (it hooks the same events first): both ran side by side
      'before:offline:start:init': () => this.provisioned,
      'before:offline:start': () => this.provisioned,
      'offline:start:ready': () => this.onRuntimeReady(),
      'before:offline:start:end': () => this.stopLocalAws(),
    };
  }

  private async writeTemplate(): Promise<void> {
    writeFileSync(this.options.output ?? 'template.json', JSON.stringify(await compileTemplate(this.serverless)));
  }

  private get command(): string {
    return (this.serverless.processedInput?.commands ?? []).join(' ');
  }

  private get stage(): string {
    return this.serverless.processedInput?.options?.stage ?? this.serverless.service.provider.stage ?? 'local';
  }

  private async onInitialize(): Promise<void> {
    const endpoint = process.env.AWS_ENDPOINT_URL?.replace(/\/$/, '');
    const offline = this.command === 'offline' || this.command === 'offline start';
    if (!endpoint || !(offline || this.command === 'invoke local')) return;
    if (this.command === 'invoke local') await this.requireLocalAws(endpoint);
    if (offline) await this.startOrAttach(endpoint);
    this.resolveEnvironment(endpoint);
  }

  private async requireLocalAws(endpoint: string): Promise<void> {
    const state = await probe(endpoint);
    if (state.kind === 'local-aws') return;
    throw new this.serverless.classes.Error(
      state.kind === 'free'
        ? `The local AWS is not running (nothing answers at ${endpoint}): start it first with \`npm start\` (or \`npx sls offline start --stage ${this.stage}\`) in another terminal.`
        : `Something other than the local AWS answers at ${endpoint} (${state.detail}); stop it, then start the local AWS with \`npm start\`.`,
    );
  }

  private async startOrAttach(endpoint: string): Promise<void> {
    const startedAt = Date.now();
    const state = await probe(endpoint);
    if (state.kind === 'other') {
      throw new this.serverless.classes.Error(`Cannot start the local AWS: ${endpoint} is taken by another program (${state.detail}).`);
    }
    if (state.kind === 'local-aws') {
      if (state.stage !== this.stage) {
        throw new this.serverless.classes.Error(`The local AWS at ${endpoint} serves stage ${state.stage}, not ${this.stage}; stop it or use another AWS_ENDPOINT_URL.`);
      }
      process.stdout.write(`Using the local AWS already running at ${endpoint} (stage ${state.stage}).\n`);
      return;
    }
    const child = fork(join(__dirname, 'run-local-aws.ts'), [], {
      execArgv: [
        '--require',
        join(__dirname, 'exit-with-parent.cjs'),
        '--import',
        'tsx',
        // For the bench's profiles: a CPU profile of the local AWS process, written when it stops.
        ...(process.env.LOCAL_AWS_CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.LOCAL_AWS_CPU_PROF_DIR] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    // The emulators start while this process compiles the template and serverless-esbuild bundles.
    const template = await compileTemplate(this.serverless);
    const seedInstances = String(this.serverless.service.custom?.localAws?.seedInstances) === 'true';
    // The stage's localStateWaitMs: every Wait and Retry interval of the local state machines ('' = as defined).
    const waitMs = String(this.serverless.service.custom?.localAws?.stateWaitMs ?? '');
    const stateWaitMs = waitMs.trim() === '' ? undefined : Number(waitMs);
    this.send({ type: 'start', stage: this.stage, template, seedInstances, startedAt, ...(stateWaitMs === undefined ? {} : { stateWaitMs }) });
    const provisioned = this.reply('provisioned').then(() => undefined);
    provisioned.catch(() => undefined); // awaited by the offline hook, which throws a failure
    this.provisioned = provisioned;
  }

  private async onRuntimeReady(): Promise<void> {
    if (this.child) {
      const ready = this.reply('ready');
      this.send({ type: 'runtime-ready' });
      const { summary } = (await ready) as Extract<FromLocalAws, { type: 'ready' }>;
      process.stdout.write(`${summary}\n`);
    }
    process.stdout.write('LOCAL_AWS_READY\n');
  }

  private async stopLocalAws(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      this.send({ type: 'stop' });
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  }

  private send(message: ToLocalAws): void {
    this.child?.send(message);
  }

  /** The local AWS's next answer of this type; rejects if it fails or exits first. */
  private reply(type: FromLocalAws['type']): Promise<FromLocalAws> {
    const child = this.child;
    if (!child) return Promise.reject(new Error('The local AWS is not running'));
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromLocalAws) => {
        if (message.type === 'failed') done(new this.serverless.classes.Error(`The local AWS failed to start:\n${message.message}`));
        else if (message.type === type) done(undefined, message);
      };
      const onExit = (code: number | null) => done(new this.serverless.classes.Error(`The local AWS exited (${code}) before it was ready`));
      const done = (error?: Error, message?: FromLocalAws) => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else if (message) resolve(message);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  private resolveEnvironment(endpoint: string): void {
    const { service } = this.serverless;
    const account = {
      region: process.env.AWS_REGION ?? service.provider.region ?? 'us-east-1',
      accountId: '000000000000',
      sqsEndpoint: endpoint,
    };
    const resources = service.resources?.Resources ?? {};
    const resolve = (environment?: Record<string, unknown>) =>
      environment && (resolveIntrinsics(environment, resources, account) as Record<string, unknown>);
    service.provider.environment = resolve(service.provider.environment);
    for (const name of service.getAllFunctions()) {
      const definition = service.getFunction(name);
      definition.environment = resolve(definition.environment);
    }
  }
}
