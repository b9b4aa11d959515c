import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { localClients } from './clients';
import { localAwsConfig, type LocalAwsConfig } from './config';
import { startFauxqs, startMoto, type Stoppable } from './emulators';
import type { AsyncInvokeTarget } from './async-invoke';
import { log } from './log';
import { type LocalPlan, planFromTemplate } from './plan';
import { provision, type ProvisionedResources } from './provision';
import { S3Notifications } from './s3-notifications';
import { SnsFunctionSubscriptions } from './sns-function-subscriptions';
import { SqsEventSource } from './sqs-event-source';
import { ROOT } from './stage-env';

const BIN = join(ROOT, 'node_modules', '.bin');

/** Packages the stage (`sls package`) and returns its CloudFormation template. */
export function packageTemplate(stage: string): { Resources?: Record<string, never> } {
  const dir = join('.local-aws', `${stage}-${process.pid}`);
  const workFolder = join('.esbuild', `package-${stage}-${process.pid}`);
  try {
    const result = spawnSync(join(BIN, 'sls'), ['package', '--stage', stage, '--package', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ESBUILD_WORK_FOLDER: workFolder },
    });
    if (result.status !== 0) throw new Error(`sls package --stage ${stage} failed:\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(readFileSync(join(ROOT, dir, 'cloudformation-template-update-stack.json'), 'utf8'));
  } finally {
    rmSync(join(ROOT, dir), { recursive: true, force: true });
    rmSync(join(ROOT, workFolder), { recursive: true, force: true });
  }
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePort, reject) => {
    const attempt = () => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolvePort();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`Nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** Starts `sls offline start` for the stage with the local endpoints in its environment. */
export async function startOffline(stage: string): Promise<ChildProcess & Stoppable> {
  const workFolder = join('.esbuild', `offline-${stage}-${process.pid}`);
  const child = spawn(join(BIN, 'sls'), ['offline', 'start', '--stage', stage], {
    cwd: ROOT,
    env: {
      ...process.env,
      ESBUILD_WORK_FOLDER: workFolder,
      NODE_OPTIONS: `--require ${join(__dirname, 'exit-with-parent.cjs')}`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: false,
  });
  const port = Number(process.env.OFFLINE_LAMBDA_PORT ?? 3002);
  await Promise.race([
    waitForPort(port, 120_000),
    new Promise((_resolve, reject) => child.once('exit', (code) => reject(new Error(`sls offline exited with code ${code}`)))),
  ]);
  return Object.assign(child, {
    stop: () =>
      new Promise<void>((resolveStop) => {
        const done = () => {
          rmSync(join(ROOT, workFolder), { recursive: true, force: true });
          resolveStop();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  });
}

export interface LocalAws {
  config: LocalAwsConfig;
  plan: LocalPlan;
  resources: ProvisionedResources;
  stop(): Promise<void>;
}

/**
 * The local AWS: fauxqs (SQS, SNS, S3) and moto (EC2) on 127.0.0.1, the stage's resources created
 * from its packaged template, and the triggers Lambda would run: SQS event source mappings, S3
 * notifications and SNS function subscriptions, all invoking serverless-offline's Lambda API.
 */
export async function startLocalAws(stage: string, template: { Resources?: Record<string, never> }): Promise<LocalAws> {
  const config = localAwsConfig(stage);
  const plan = planFromTemplate(template, { region: config.region, accountId: config.accountId, sqsEndpoint: config.endpoint });
  const clients = localClients(config);
  const queueUrls: Record<string, string> = {};
  const asyncTarget = (functionName: string): AsyncInvokeTarget => {
    const destination = plan.onFailureDestinations[functionName];
    return {
      functionName,
      timeoutSeconds: plan.functionTimeouts[functionName] ?? 30,
      onFailureQueueUrl: destination ? queueUrls[destination.split(':').pop() ?? ''] : undefined,
    };
  };
  const notifications = new S3Notifications(clients, plan, config.region, asyncTarget);
  const stoppables: Stoppable[] = [];
  const stop = async () => {
    for (const stoppable of stoppables.reverse()) await stoppable.stop().catch(() => undefined);
  };
  try {
    stoppables.push(await startMoto({ port: config.ec2Port }));
    stoppables.push(await startFauxqs({ port: config.port, region: config.region, onObjectCreated: notifications.onObjectCreated }));
    stoppables.push(notifications);
    const resources = await provision(clients, plan);
    Object.assign(queueUrls, resources.queueUrls);
    const subscriptions = new SnsFunctionSubscriptions(clients, plan, asyncTarget);
    await subscriptions.start();
    stoppables.push(subscriptions);
    for (const mapping of plan.eventSourceMappings) {
      const queueName = mapping.queueArn.split(':').pop() ?? '';
      const source = new SqsEventSource(
        clients,
        mapping,
        resources.queueUrls[queueName] ?? '',
        plan.functionTimeouts[mapping.functionName] ?? 30,
        config.region,
      );
      source.start();
      stoppables.push(source);
    }
    log.info('Local AWS ready', { stage, endpoint: config.endpoint, ec2Endpoint: config.ec2Endpoint });
    return { config, plan, resources, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
