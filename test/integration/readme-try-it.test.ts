import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ROOT } from '../../shared/stage-env';
import { eventually } from '../support/local-aws';
import { isolatedPorts, jsonLines, spawnStack, type StackProcess } from '../support/stack-process';

/**
 * The README's "Try it" block, run as written against `npm start`'s stack (stage local) on ports
 * of its own: only the ports of stage local (4566 the local AWS, 3002 the Lambda API, 4570 the
 * console) are replaced by this stack's, and the `npm start` line is left out (the stack runs). Then
 * each command's effect is checked: the upload copied, the canary job run, the notification
 * received, the invocation's answer, and the console showing it all.
 */
const ports = isolatedPorts(4800);
const consoleUrl = `http://127.0.0.1:${ports.env.LOCAL_CONSOLE_PORT}`;
const outFile = join(ROOT, 'out.json');
let stack: StackProcess;

/** The bash block under the README's "## Try it" heading, and the section's text. */
function tryIt(): { section: string; block: string } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Try it\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  const block = section && /```bash\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!section || !block) throw new Error('README.md has no "## Try it" section with a ```bash block');
  return { section, block };
}

const onThisStack = (text: string) =>
  text
    .replaceAll('http://127.0.0.1:4566', ports.endpoint)
    .replaceAll('http://127.0.0.1:3002', ports.lambdaEndpoint)
    .replaceAll('http://127.0.0.1:4570', consoleUrl);

function run(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env: { ...process.env, ...ports.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

async function consoleGet<T>(path: string): Promise<T> {
  const response = await fetch(`${consoleUrl}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  stack = spawnStack('local', join(ROOT, '.local-aws', 'readme-try-it.log'), ports.env);
  await stack.waitForLog('LOCAL_AWS_READY');
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(outFile, { force: true });
});

describe("the README's Try it", () => {
  it('runs as written, and each command does what the README says', async () => {
    const { section, block } = tryIt();
    const script = onThisStack(
      block
        .split('\n')
        .filter((line) => !/^npm start\b/.test(line))
        .join('\n'),
    );

    const { code, output } = await run(script);

    expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
    // invoke: the poison record of events/sqs-standard-batch.json, and only it, is reported.
    const answer = JSON.parse(readFileSync(outFile, 'utf8')) as { batchItemFailures: { itemIdentifier: string }[] };
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '8f2c1d3e-4a5b-4c6d-8e7f-9a0b1c2d3e03' }]);
    // upload: s3Copier copied the object, its key as it was.
    const s3 = new S3Client({ region: 'us-east-1', endpoint: ports.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await eventually(
      () =>
        s3.send(new HeadObjectCommand({ Bucket: 'messaging-workers-local-destination-local', Key: 'my file 中文.txt' })).then(
          () => true,
          () => false,
        ),
      60_000,
    );
    // publish: snsNotifier received the typed notification.
    await eventually(() => jsonLines(stack.logFile).some((line) => line.message === 'Notification received' && line.notificationId === 'try-1'), 60_000);
    // send, and the console: its Functions page lists the consumer's run of the canary job "hello".
    expect(onThisStack(section)).toContain(`${consoleUrl}/`);
    expect((await fetch(`${consoleUrl}/`)).status).toBe(200);
    await eventually(async () => {
      const { invocations } = await consoleGet<{ invocations: { id: number; functionName: string; trigger: string; ok: boolean }[] }>('/api/invocations');
      for (const invocation of invocations.filter((i) => i.functionName.endsWith('sqsConsumer') && i.trigger === 'sqs' && i.ok)) {
        const { event } = await consoleGet<{ event: string }>(`/api/invocations/${invocation.id}/event`);
        if (event.includes('\\"id\\":\\"hello\\"')) return true;
      }
      return false;
    }, 60_000);
  }, 180_000);
});
