import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { ROOT } from '../../shared/stage-env';
import { eventually, lambda, logLines, names, queueUrl, sqs, uniqueId, type LogLine } from '../support/local-aws';
import { collectJobIds, sendJobs } from '../support/queues';

const jobLines = (jobId: string, message: 'Job done' | 'Job failed'): LogLine[] =>
  logLines().filter((entry) => entry.message === message && entry.jobId === jobId);

describe('sqsConsumer on the standard work queue, through sls offline', () => {
  it('deletes the successes, redelivers the reported failures and dead-letters the poison after maxReceiveCount', async () => {
    const ok = [uniqueId('ok'), uniqueId('ok')];
    const transient = [uniqueId('transient'), uniqueId('transient')];
    const poison = [uniqueId('poison'), uniqueId('poison')];
    const work = await queueUrl(names.workQueue);
    const dlq = await queueUrl(names.workDlq);

    await sendJobs(sqs, work, [
      ...ok.map((id) => ({ type: 'canary', id })),
      ...transient.map((id) => ({ type: 'canary', id, failUntilAttempt: 2 })),
      ...poison.map((id) => ({ type: 'canary', id, alwaysFail: true })),
    ]);

    const found = new Set<string>();
    await eventually(async () => {
      await collectJobIds(sqs, dlq, found);
      return poison.every((id) => found.has(id));
    }, 80_000, 500);
    // The functions' log lines reach the log through the runtime's output: wait for each one.
    await eventually(() => [...ok, ...transient].every((id) => jobLines(id, 'Job done').length > 0), 30_000, 250);
    for (const id of ok) expect(jobLines(id, 'Job done').map((entry) => entry.receiveCount)).toEqual([1]);
    for (const id of transient) {
      expect(jobLines(id, 'Job failed').map((entry) => entry.receiveCount)).toEqual([1]);
      expect(jobLines(id, 'Job done').map((entry) => entry.receiveCount)).toEqual([2]);
    }
    for (const id of poison) {
      expect(jobLines(id, 'Job failed').map((entry) => entry.receiveCount)).toEqual([1, 2]); // maxReceiveCount 2 on stage test
      expect(jobLines(id, 'Job done')).toEqual([]);
    }
  }, 150_000);

  it('deletes nothing of a batch whose invocation fails (timeout), so its finished records come back too', async () => {
    const sibling = uniqueId('sibling');
    const slow = uniqueId('slow');
    const work = await queueUrl(names.workQueue);

    await sendJobs(sqs, work, [
      { type: 'canary', id: sibling },
      { type: 'canary', id: slow, delayMs: 6000 }, // the test stage's function timeout is 3 s
    ]);

    const redone = await eventually(() => {
      const lines = jobLines(sibling, 'Job done');
      return lines.length >= 2 ? lines : undefined;
    }, 100_000, 500);
    expect(redone.map((entry) => entry.receiveCount).slice(0, 2)).toEqual([1, 2]);
  }, 150_000);
});

describe('sqsConsumer on the FIFO work queue, through sls offline', () => {
  it('keeps order within a message group across a failure and redelivery, while other groups finish', async () => {
    const a = [uniqueId('a1'), uniqueId('a2'), uniqueId('a3')];
    const b = [uniqueId('b1'), uniqueId('b2'), uniqueId('b3')];
    const fifo = await queueUrl(names.workFifoQueue);
    const groupA = uniqueId('group-a');
    const groupB = uniqueId('group-b');

    const output = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: fifo,
        Entries: [
          { id: a[0], group: groupA },
          { id: b[0], group: groupB },
          { id: a[1], group: groupA, failUntilAttempt: 2 },
          { id: b[1], group: groupB },
          { id: a[2], group: groupA },
          { id: b[2], group: groupB },
        ].map(({ id, group, failUntilAttempt }, index) => ({
          Id: String(index),
          MessageGroupId: group,
          MessageBody: JSON.stringify({ type: 'canary', id, ...(failUntilAttempt ? { failUntilAttempt } : {}) }),
        })),
      }),
    );
    expect(output.Failed ?? []).toEqual([]);

    await eventually(() => [...a, ...b].every((id) => jobLines(id, 'Job done').length > 0), 60_000, 500);
    const done = logLines().filter((entry) => entry.message === 'Job done');
    const order = (ids: string[]) => done.filter((entry) => ids.includes(String(entry.jobId))).map((entry) => entry.jobId);
    expect(order(a)).toEqual(a);
    expect(order(b)).toEqual(b);
    expect(jobLines(a[1] ?? '', 'Job failed').map((entry) => entry.receiveCount)).toEqual([1]);
  }, 90_000);
});

describe('sqsConsumer given malformed input, through sls offline', () => {
  const envelope = (fields: Record<string, unknown>) =>
    JSON.stringify({ Type: 'Notification', MessageId: 'm-1', TopicArn: names.topicArn, Timestamp: new Date().toISOString(), ...fields });
  const malformed: [string, string][] = [
    ['not JSON', 'not json'],
    ['truncated JSON', '{"type":"canary"'],
    ['a JSON array', '[]'],
    ['a JSON string', '"a string"'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['JSON true', 'true'],
    ['no type', '{}'],
    ['an unknown job type', '{"type":"nope"}'],
    ['a numeric type', '{"type":42}'],
    ['copy-object without bucket and key', '{"type":"copy-object"}'],
    ['copy-object with an empty key', '{"type":"copy-object","bucket":"bucket","key":""}'],
    ['copy-object with an oversized key', JSON.stringify({ type: 'copy-object', bucket: 'bucket', key: 'k'.repeat(2000) })],
    ['schedule-instances with an unknown action', '{"type":"schedule-instances","action":"reboot"}'],
    ['canary with a wrong field type', '{"type":"canary","failUntilAttempt":"twice"}'],
    ['publish-notification without title and message', '{"type":"publish-notification","notification":{}}'],
    ['an SNS envelope without Message', envelope({})],
    ['an SNS envelope whose Message is not JSON', envelope({ Message: 'plain text' })],
    ['an SNS envelope with an unknown job', envelope({ Message: '{"type":"nope"}' })],
    ['an SNS envelope of another Type', envelope({ Type: 'SubscriptionConfirmation', Message: '{}' })],
    ['an oversized body that is not JSON', 'x'.repeat(200_000)],
  ];

  it('reports each malformed message as its own failure with a logged reason, and runs the valid ones once', async () => {
    const valid = [uniqueId('valid'), uniqueId('valid')];
    const work = await queueUrl(names.workQueue);
    const bodies = [...malformed.map(([, body]) => body), ...valid.map((id) => JSON.stringify({ type: 'canary', id }))];
    const sent: string[] = [];
    for (let start = 0; start < bodies.length; start += 10) {
      const chunk = bodies.slice(start, start + 10);
      const total = chunk.reduce((size, body) => size + body.length, 0);
      // SendMessageBatch takes 256 KiB in all; the oversized body goes alone.
      const batches = total > 250_000 ? chunk.map((body) => [body]) : [chunk];
      for (const batch of batches) {
        const output = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: work, Entries: batch.map((body, index) => ({ Id: String(index), MessageBody: body })) }),
        );
        expect(output.Failed ?? []).toEqual([]);
        sent.push(...(output.Successful ?? []).sort((a, b) => Number(a.Id) - Number(b.Id)).map((entry) => entry.MessageId ?? ''));
      }
    }
    const malformedIds = sent.slice(0, malformed.length);

    const failures = await eventually(() => {
      const failed = logLines().filter((entry) => entry.message === 'Job failed' && malformedIds.includes(String(entry.messageId)));
      return new Set(failed.map((entry) => entry.messageId)).size === malformedIds.length ? failed : undefined;
    }, 45_000, 500);
    await eventually(() => valid.every((id) => jobLines(id, 'Job done').length > 0), 30_000, 500);

    for (const entry of failures) {
      expect(String(entry.reason).length).toBeGreaterThan(5);
      expect(['MalformedMessageError', 'UnknownJobTypeError', 'InvalidJobError']).toContain((entry.error as { name?: string }).name);
    }
    for (const id of valid) expect(jobLines(id, 'Job done').map((entry) => entry.receiveCount)).toEqual([1]);
  }, 90_000);

  it('answers an empty batch with no failures', async () => {
    const output = await lambda.send(new InvokeCommand({ FunctionName: names.function('sqsConsumer'), Payload: JSON.stringify({ Records: [] }) }));

    expect(output.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8'))).toEqual({ batchItemFailures: [] });
  });

  it('fails an event that is not an SQS batch with InvalidEventError', async () => {
    const s3Event = readFileSync(join(ROOT, 'events', 's3-put-unicode-key.json'));

    const output = await lambda.send(new InvokeCommand({ FunctionName: names.function('sqsConsumer'), Payload: s3Event }));

    expect(output.FunctionError).toBe('Unhandled');
    expect(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8')).toContain('Not an SQS event');
  });

  it('fails only the records that lack a body or attributes, in a batch invoked directly', async () => {
    const event = JSON.parse(readFileSync(join(ROOT, 'events', 'sqs-standard-batch.json'), 'utf8')) as { Records: Record<string, unknown>[] };
    const [first, second, third] = event.Records;
    delete first?.body;
    delete second?.attributes;
    const payload = { Records: [first, second, { ...third, body: JSON.stringify({ type: 'canary', id: uniqueId('direct') }) }] };

    const output = await lambda.send(new InvokeCommand({ FunctionName: names.function('sqsConsumer'), Payload: JSON.stringify(payload) }));

    expect(output.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8'))).toEqual({
      batchItemFailures: [{ itemIdentifier: first?.messageId }],
    });
  });
});
