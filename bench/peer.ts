/**
 * The peer the SQS consumer's local path is measured against: the stock serverless-offline-sqs
 * 8.0.0 plugin, polling the work queue of a running local AWS and invoking the same sqsConsumer
 * handler (same source, same esbuild options) in its own `sls offline`.
 *
 * It is installed on demand into a scratch copy, `.local-aws/peer/` (git-ignored, never a
 * dependency of the service): its own package.json with only the plugin (and its aws-sdk v2);
 * serverless, serverless-esbuild and serverless-offline resolve from the project's node_modules
 * above it. The copy holds handlers/ and a generated serverless.json; its log goes wherever the
 * caller says (outside the project folder, so no watcher rescans on each line).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_OPTIONS } from '../deploy/esbuild-options';
import { type CfnResources, resolveIntrinsics } from '../local-aws/intrinsics';
import { ROOT } from '../shared/stage-env';
import { spawnLogged, type StackProcess } from '../test/support/stack-process';

export const PEER_PLUGIN = 'serverless-offline-sqs@8.0.0';
const PEER_DIR = join(ROOT, '.local-aws', 'peer');
const SLS = join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');

/** Installs the stock plugin into the scratch copy once. */
export function installPeer(log: (line: string) => void = () => undefined): string {
  if (!existsSync(join(PEER_DIR, 'node_modules', 'serverless-offline-sqs', 'package.json'))) {
    log(`peer: npm install ${PEER_PLUGIN} into .local-aws/peer`);
    mkdirSync(PEER_DIR, { recursive: true });
    writeFileSync(join(PEER_DIR, 'package.json'), `${JSON.stringify({ name: 'messaging-workers-bench-peer', private: true }, null, 2)}\n`);
    // --legacy-peer-deps: use the project's serverless-offline, not a second copy of it.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--save-exact', PEER_PLUGIN], { cwd: PEER_DIR, stdio: 'ignore' });
  }
  return PEER_DIR;
}

interface Ports {
  endpoint: string;
  env: NodeJS.ProcessEnv;
}

/** Starts the peer's `sls offline` against the local AWS at `ports`; resolves once it polls. */
export async function startPeer(options: { stage: string; template: unknown; ports: Ports; logFile: string; log?: (line: string) => void }): Promise<StackProcess> {
  const folder = installPeer(options.log);
  // The handlers and what they import from outside their folder (config/schedules.json).
  for (const source of ['handlers', 'config']) {
    rmSync(join(folder, source), { recursive: true, force: true });
    if (existsSync(join(ROOT, source))) cpSync(join(ROOT, source), join(folder, source), { recursive: true });
  }
  cpSync(join(ROOT, 'tsconfig.json'), join(folder, 'tsconfig.json'));
  const resources = (options.template as { Resources: CfnResources }).Resources;
  const account = { region: 'us-east-1', accountId: '000000000000', sqsEndpoint: options.ports.endpoint };
  const consumer = Object.values(resources).find((resource) => resource.Type === 'AWS::Lambda::Function' && String(resource.Properties?.Handler).startsWith('handlers/sqs-consumer/'));
  if (!consumer) throw new Error('no sqsConsumer function in the template');
  const environment = resolveIntrinsics((consumer.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}, resources, account) as Record<string, string>;
  const queueName = `messaging-workers-${options.stage}-work`;
  const service = {
    service: 'messaging-workers-peer',
    frameworkVersion: '4.3.1',
    provider: {
      name: 'aws',
      runtime: 'nodejs24.x',
      region: 'us-east-1',
      stage: options.stage,
      environment: {
        ...environment,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL: options.ports.endpoint,
        AWS_ENDPOINT_URL_EC2: options.ports.env.AWS_ENDPOINT_URL_EC2,
      },
    },
    custom: {
      // The same bundle options as serverless.yml's custom.esbuild.
      esbuild: {
        ...BUNDLE_OPTIONS,
        exclude: [],
        packager: 'npm',
        watch: { pattern: ['handlers/**/*.ts'], ignore: ['.esbuild', 'node_modules'] },
      },
      'serverless-offline': {
        host: '127.0.0.1',
        httpPort: Number(options.ports.env.OFFLINE_HTTP_PORT),
        lambdaPort: Number(options.ports.env.OFFLINE_LAMBDA_PORT),
        websocketPort: Number(options.ports.env.OFFLINE_WEBSOCKET_PORT),
        noPrependStageInUrl: true,
      },
      'serverless-offline-sqs': {
        autoCreate: false,
        apiVersion: '2012-11-05',
        endpoint: options.ports.endpoint,
        region: 'us-east-1',
        accessKeyId: 'local',
        secretAccessKey: 'local',
        skipCacheInvalidation: false,
      },
    },
    functions: {
      sqsConsumer: {
        handler: 'handlers/sqs-consumer/handler.handler',
        timeout: 10,
        events: [{ sqs: { arn: `arn:aws:sqs:us-east-1:000000000000:${queueName}`, batchSize: 10, functionResponseType: 'ReportBatchItemFailures' } }],
      },
    },
    plugins: ['serverless-esbuild', 'serverless-offline-sqs', 'serverless-offline'],
  };
  writeFileSync(join(folder, 'serverless.json'), `${JSON.stringify(service, null, 2)}\n`);
  const peer = spawnLogged([SLS, 'offline', 'start', '--stage', options.stage], options.logFile, options.ports.env, false, folder);
  try {
    await peer.waitForLog('Starting Offline SQS');
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return peer;
}
