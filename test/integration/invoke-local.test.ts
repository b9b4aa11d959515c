import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { NOTIFICATION_TYPES } from '../../handlers/domain/notifications/notification';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { launchInstance } from '../../local-aws/seed-instances';
import { ROOT } from '../../shared/stage-env';
import { STAGE } from '../support/global-setup';
import { ec2 } from '../support/local-aws';

/** Each function's build folder of this run, removed once the file is done. */
const workFolder = (fn: string) => join('.esbuild', `invoke-${fn}-${process.pid}`);
const built = new Set<string>();
afterAll(() => built.forEach((fn) => rmSync(join(ROOT, workFolder(fn)), { recursive: true, force: true })));

/** `sls invoke local` with a sample event, against the test stage's local AWS. */
function invokeLocal(fn: string, eventFile: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  built.add(fn);
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'sls'), ['invoke', 'local', '--stage', STAGE, '-f', fn, '-p', join('events', eventFile)], {
    cwd: ROOT,
    env: { ...process.env, ESBUILD_WORK_FOLDER: workFolder(fn), POWERTOOLS_LOG_LEVEL: 'ERROR', WEBHOOK_URLS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

/** The handler's result: the last JSON document printed that is not a log line. */
const resultOf = (stdout: string): unknown => {
  const start = stdout.lastIndexOf('\n{\n');
  return JSON.parse(stdout.slice(start >= 0 ? start + 1 : stdout.indexOf('{')));
};

describe('sls invoke local with the sample events', () => {
  it('reports only the poison record of events/sqs-standard-batch.json', async () => {
    const { status, stdout } = await invokeLocal('sqsConsumer', 'sqs-standard-batch.json');

    expect(status).toBe(0);
    expect(resultOf(stdout)).toEqual({ batchItemFailures: [{ itemIdentifier: '8f2c1d3e-4a5b-4c6d-8e7f-9a0b1c2d3e03' }] });
  });

  it('reports the failed record and the rest of its group in events/sqs-fifo-batch.json', async () => {
    const { status, stdout } = await invokeLocal('sqsConsumer', 'sqs-fifo-batch.json');

    expect(status).toBe(0);
    expect(resultOf(stdout)).toEqual({
      batchItemFailures: [{ itemIdentifier: '3b7e9d21-5c4a-4f6b-9d8e-0a1b2c3d4e02' }, { itemIdentifier: '3b7e9d21-5c4a-4f6b-9d8e-0a1b2c3d4e04' }],
    });
  });

  it.each([...NOTIFICATION_TYPES, 'cloudwatch-alarm'])('reads and renders the notification of events/sns-%s.json', async (name) => {
    const { status, stdout } = await invokeLocal('snsNotifier', `sns-${name}.json`);

    expect(status).toBe(0);
    expect(resultOf(stdout)).toEqual({ received: 1, rejected: 0, channels: 0 });
  });

  it('stops the running instances tagged Environment=dev with events/ec2-stop-tagged.json (the homework)', async () => {
    const dev = await launchInstance(ec2, [
      { Key: 'Schedule', Value: 'always-on' },
      { Key: 'Environment', Value: 'dev' },
    ]);
    const other = await launchInstance(ec2, [
      { Key: 'Schedule', Value: 'always-on' },
      { Key: 'Environment', Value: 'staging' },
    ]);

    const { status, stdout } = await invokeLocal('ec2Scheduler', 'ec2-stop-tagged.json');

    expect(status).toBe(0);
    expect((resultOf(stdout) as { stopped: string[] }).stopped).toContain(dev);
    const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [dev, other] }));
    const states = Object.fromEntries((output.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId, i.State?.Name]));
    expect(states).toEqual({ [dev]: 'stopped', [other]: 'running' });
  });

  it('says in one line how to start the local AWS when it is not running, with no SDK stack trace', async () => {
    // Nothing listens on port 9 (discard) of this machine.
    const { status, stdout, stderr } = await invokeLocal('sqsConsumer', 'sqs-standard-batch.json', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });

    const output = `${stdout}${stderr}`;
    expect(status).not.toBe(0);
    expect(output).toContain('The local AWS is not running (nothing answers at http://127.0.0.1:9): start it first with `npm start`');
    expect(output).not.toMatch(/ECONNREFUSED|\n\s+at /);
  }, 60_000);
});
