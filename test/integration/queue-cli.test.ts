import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ROOT } from '../../shared/stage-env';
import { eventually, queueDepth, sqs, uniqueId } from '../support/local-aws';

const TIMEOUT = 60_000;

/** The real CLI in a process of its own, on stage test; `env` overrides the inherited environment. */
function queueCli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'queue', 'main.ts'), ...args, '--stage', 'test'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: TIMEOUT,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const created: string[] = [];

/** A queue of this test alone: the work queues of stage test are consumed by sqsConsumer. */
async function scratchQueue(label: string, attributes: Record<string, string> = {}): Promise<{ name: string; url: string; arn: string }> {
  const name = `messaging-workers-test-${uniqueId(label)}${attributes.FifoQueue === 'true' ? '.fifo' : ''}`;
  const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  created.push(QueueUrl);
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { name, url: QueueUrl, arn: Attributes.QueueArn ?? '' };
}

/** Receives and deletes until `count` messages came, in the order they came. */
async function drain(url: string, count: number) {
  const messages: { body: string; groupId?: string; attributes: Record<string, string | undefined> }[] = [];
  await eventually(async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    for (const message of Messages) {
      messages.push({
        body: message.Body ?? '',
        groupId: message.Attributes?.MessageGroupId,
        attributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue])),
      });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    }
    return messages.length >= count;
  }, 30_000);
  return messages;
}

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

afterAll(async () => {
  await Promise.all(created.map((url) => sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined)));
});

describe('queue CLI: send, receive, delete, stats', () => {
  it('sends a message, shows it with its receipt handle, deletes it, and the queue is empty after', async () => {
    const queue = await scratchQueue('cli');
    const body = JSON.stringify({ type: 'canary', id: uniqueId('round-trip') });

    const sent = await queueCli(['send', '--queue', queue.name, '--body', body, '--attribute', 'kind=cli-test']);
    expect(sent).toMatchObject({ status: 0 });
    const messageId = sent.stdout.trim();

    const shown = await queueCli(['receive', '--queue', queue.name, '--wait', '5', '--visibility', '0']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(`MessageId      ${messageId}`);
    expect(shown.stdout).toContain(`Body           ${body}`);
    expect(shown.stdout).toContain('kind=cli-test (String)');
    expect(shown.stdout).toMatch(/ApproximateReceiveCount=1/);
    expect(shown.stdout).toMatch(/ReceiptHandle  \S+/);

    const received = await queueCli(['receive', '--queue', queue.name, '--wait', '5', '--json']);
    const [message] = jsonLines(received.stdout);
    expect(message).toMatchObject({ messageId, body, messageAttributes: { kind: { dataType: 'String', value: 'cli-test' } }, receiveCount: 2 });

    const deleted = await queueCli(['delete', '--queue', queue.name, '--receipt-handle', String(message?.receiptHandle)]);
    expect(deleted).toMatchObject({ status: 0 });

    const stats = await queueCli(['stats', '--queue', queue.name, '--json']);
    expect(stats.status).toBe(0);
    expect(JSON.parse(stats.stdout)).toEqual({ queue: { name: queue.name, visible: 0, inFlight: 0, delayed: 0, isDeadLetterQueue: false }, dlq: null });
  }, TIMEOUT);

  it('shows the depth of the queue and of its dead-letter queue', async () => {
    const dlq = await scratchQueue('cli-stats-dead');
    const queue = await scratchQueue('cli-stats', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: 'dead' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'later', DelaySeconds: 60 }));

    const stats = await queueCli(['stats', '--queue', queue.name, '--json']);

    expect(JSON.parse(stats.stdout)).toEqual({
      queue: { name: queue.name, visible: 0, inFlight: 0, delayed: 1, isDeadLetterQueue: false },
      dlq: { name: dlq.name, visible: 1, inFlight: 0, delayed: 0 },
    });
  }, TIMEOUT);

  it('refuses a FIFO message without --group-id before any request', async () => {
    // Nothing listens on port 9: a request would end in `nothing answers at ...` instead.
    const result = await queueCli(['send', '--queue', 'work.fifo', '--body', 'x'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error: FIFO queue messaging-workers-test-work.fifo needs --group-id');
  }, TIMEOUT);

  it('names the queue and the stage when the queue does not exist', async () => {
    const result = await queueCli(['stats', '--queue', 'nope']);

    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('error: Queue messaging-workers-test-nope does not exist on stage test');
  }, TIMEOUT);

  it('explains a receipt handle that SQS rejects', async () => {
    const queue = await scratchQueue('handle');

    const result = await queueCli(['delete', '--queue', queue.name, '--receipt-handle', 'not-a-receipt-handle']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error: receipt handle is invalid or expired: receive the message again');
  }, TIMEOUT);
});

describe('queue CLI: send --jsonl', () => {
  it('sends every line in batches and prints the message ids in line order', async () => {
    const queue = await scratchQueue('cli-bulk');
    const dir = mkdtempSync(join(tmpdir(), 'queue-cli-'));
    const file = join(dir, 'jobs.jsonl');
    writeFileSync(file, Array.from({ length: 23 }, (_, i) => JSON.stringify({ type: 'canary', id: `job-${i + 1}` })).join('\n'));

    const result = await queueCli(['send', '--queue', queue.name, '--jsonl', file]);

    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(23);
    expect(result.stderr).toContain('sent 23, failed 0');
    await eventually(async () => (await queueDepth(queue.url)).visible === 23);
  }, TIMEOUT);

  it('reports the lines SQS refused by number and exits 1, having sent the others', async () => {
    const queue = await scratchQueue('cli-bulk-fail');
    const dir = mkdtempSync(join(tmpdir(), 'queue-cli-'));
    const file = join(dir, 'jobs.jsonl');
    // U+0001 is not a character SQS accepts in a body.
    writeFileSync(file, ['{"body":"first"}', '{"body":"bad \\u0001"}', '{"body":"third"}'].join('\n'));

    const result = await queueCli(['send', '--queue', queue.name, '--jsonl', file]);

    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    expect(result.stderr).toContain('sent 2, failed 1');
    expect(result.stderr).toMatch(/line 2: InvalidMessageContents/);
    expect((await drain(queue.url, 2)).map((m) => m.body).sort()).toEqual(['first', 'third']);
  }, TIMEOUT);

  it('sends nothing from a file with bad lines, listing them, exit 2', async () => {
    const queue = await scratchQueue('cli-bulk-bad');
    const dir = mkdtempSync(join(tmpdir(), 'queue-cli-'));
    const file = join(dir, 'jobs.jsonl');
    writeFileSync(file, ['{"body":"fine"}', '{"body":"x","delay":"soon"}', '{truncated'].join('\n'));

    const result = await queueCli(['send', '--queue', queue.name, '--jsonl', file]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('line 2: delay must be a whole number of seconds');
    expect(result.stderr).toContain('line 3: not valid JSON');
    expect(await queueDepth(queue.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, TIMEOUT);
});

describe('queue CLI: redrive', () => {
  it('moves the messages of a dead-letter queue back to the source its RedriveAllowPolicy names, attributes and all', async () => {
    const source = await scratchQueue('cli-source');
    const dlq = await scratchQueue('cli-parking', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [source.arn] }),
    });
    const bodies = [1, 2, 3].map((n) => JSON.stringify({ type: 'canary', id: uniqueId(`dead-${n}`) }));
    for (const [index, body] of bodies.entries()) {
      const attributes = index === 0 ? { MessageAttributes: { kind: { DataType: 'String', StringValue: 'replayed' } } } : {};
      await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: body, ...attributes }));
    }

    const result = await queueCli(['redrive', '--queue', dlq.name]);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`moved 3 message(s) from ${dlq.name} to ${source.name}`);
    const moved = await drain(source.url, 3);
    expect(moved.map((m) => m.body).sort()).toEqual([...bodies].sort());
    expect(moved.find((m) => m.body === bodies[0])?.attributes).toEqual({ kind: 'replayed' });
    expect(await queueDepth(dlq.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, TIMEOUT);

  it("uses SQS's message move task when a queue names the DLQ as its dead-letter queue", async () => {
    const dlq = await scratchQueue('cli-real-dlq');
    const source = await scratchQueue('cli-real-source', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    const bodies = [1, 2].map((n) => JSON.stringify({ type: 'canary', id: uniqueId(`moved-${n}`) }));
    for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: body }));

    const result = await queueCli(['redrive', '--queue', dlq.name, '--to', source.name]);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`moved 2 message(s) from ${dlq.name} to ${source.name} message move task`);
    const moved = await drain(source.url, 2);
    expect(moved.map((m) => m.body).sort()).toEqual([...bodies].sort());
    expect(await queueDepth(dlq.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, TIMEOUT);

  it('keeps the message group and the order of a FIFO dead-letter queue', async () => {
    const fifo = { FifoQueue: 'true', ContentBasedDeduplication: 'true' };
    const dlq = await scratchQueue('cli-fifo-dead', fifo);
    const source = await scratchQueue('cli-fifo-source', fifo);
    const bodies = ['first', 'second', 'third'].map((label) => `${label} ${uniqueId('fifo')}`);
    for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: body, MessageGroupId: 'group-a' }));

    const result = await queueCli(['redrive', '--queue', dlq.name, '--to', source.name]);

    expect(result.status).toBe(0);
    const moved = await drain(source.url, 3);
    expect(moved.map((m) => [m.body, m.groupId])).toEqual(bodies.map((body) => [body, 'group-a']));
    expect(await queueDepth(dlq.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, TIMEOUT);
});
