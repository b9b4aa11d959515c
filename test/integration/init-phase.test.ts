import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ROOT } from '../../shared/stage-env';
import { isolatedPorts, spawnLogged, type StackProcess } from '../support/stack-process';

/**
 * Lambda runs a function's init (loading the handler module) in an init phase with a limit of its
 * own and starts the function timeout only when the handler is called. serverless-offline counted
 * init inside the timeout (patched: patches/serverless-offline+14.8.2.patch); this proves, through
 * `sls offline`, that a slow init no longer times out while a slow handler still does.
 */
const ports = isolatedPorts(4740);
const lambda = new LambdaClient({
  region: 'us-east-1',
  endpoint: ports.lambdaEndpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
});
let offline: StackProcess | undefined;

beforeAll(async () => {
  const service = join(ROOT, 'test', 'fixtures', 'init-phase');
  offline = spawnLogged([join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'offline', 'start'], join(ROOT, '.local-aws', 'init-phase.log'), ports.env, false, service);
  await offline.waitForLog('listening on http://127.0.0.1');
}, 120_000);

afterAll(() => offline?.stop());

const invoke = async (name: string) => {
  const output = await lambda.send(new InvokeCommand({ FunctionName: `init-phase-dev-${name}` }));
  return { functionError: output.FunctionError, payload: JSON.parse(Buffer.from(output.Payload ?? []).toString('utf8') || 'null') as unknown };
};

describe('a function run by sls offline', () => {
  it('does not count a cold start (init longer than the 1 s timeout) against its timeout', async () => {
    const { functionError, payload } = await invoke('slowInit');

    expect(functionError).toBeUndefined();
    expect((payload as { initMs: number }).initMs).toBeGreaterThanOrEqual(2500);
  });

  it('still times out a handler that runs longer than its timeout', async () => {
    const { functionError, payload } = await invoke('slowHandler');

    expect(functionError).toBeDefined();
    expect(JSON.stringify(payload)).toContain('timeout');
  });
});
