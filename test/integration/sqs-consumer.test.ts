import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { eventually, logLines, names, queueUrl, sqs, uniqueId, type LogLine } from '../support/local-aws';

const jobLines = (jobId: string, message: 'Job done' | 'Job failed'): LogLine[] =>
  logLines().filter((entry) => entry.message === message && entry.jobId === jobId);

/** Drains the DLQ (test stage) looking for the given job ids; returns the ids found. */
async function jobIdsInQueue(url: string, wanted: readonly string[], found = new Set<string>()): Promise<Set<string>> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 }));
  for (const message of Messages) {
    const id = (JSON.parse(message.Body ?? '{}') as { id?: string }).id;
    if (id && wanted.includes(id)) found.add(id);
  }
  return found;
}

async function sendJobs(url: string, jobs: readonly Record<string, unknown>[]): Promise<void> {
  const output = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: jobs.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) })),
    }),
  );
  expect(output.Failed ?? []).toEqual([]);
}

describe('sqsConsumer on the standard work queue, through sls offline', () => {
  it('deletes the successes, redelivers the reported failures and dead-letters the poison after maxReceiveCount', async () => {
    const ok = [uniqueId('ok'), uniqueId('ok')];
    const transient = [uniqueId('transient'), uniqueId('transient')];
    const poison = [uniqueId('poison'), uniqueId('poison')];
    const work = await queueUrl(names.workQueue);
    const dlq = await queueUrl(names.workDlq);

    await sendJobs(work, [
      ...ok.map((id) => ({ type: 'canary', id })),
      ...transient.map((id) => ({ type: 'canary', id, failUntilAttempt: 2 })),
      ...poison.map((id) => ({ type: 'canary', id, alwaysFail: true })),
    ]);

    const found = new Set<string>();
    await eventually(async () => (await jobIdsInQueue(dlq, poison, found)).size === poison.length, 60_000, 500);
    for (const id of ok) expect(jobLines(id, 'Job done').map((entry) => entry.receiveCount)).toEqual([1]);
    for (const id of transient) {
      expect(jobLines(id, 'Job failed').map((entry) => entry.receiveCount)).toEqual([1]);
      expect(jobLines(id, 'Job done').map((entry) => entry.receiveCount)).toEqual([2]);
    }
    for (const id of poison) {
      expect(jobLines(id, 'Job failed').map((entry) => entry.receiveCount)).toEqual([1, 2]); // maxReceiveCount 2 on stage test
      expect(jobLines(id, 'Job done')).toEqual([]);
    }
  }, 90_000);

  it('deletes nothing of a batch whose invocation fails (timeout), so its finished records come back too', async () => {
    const sibling = uniqueId('sibling');
    const slow = uniqueId('slow');
    const work = await queueUrl(names.workQueue);

    await sendJobs(work, [
      { type: 'canary', id: sibling },
      { type: 'canary', id: slow, delayMs: 6000 }, // the test stage's function timeout is 3 s
    ]);

    const redone = await eventually(() => {
      const lines = jobLines(sibling, 'Job done');
      return lines.length >= 2 ? lines : undefined;
    }, 60_000, 500);
    expect(redone.map((entry) => entry.receiveCount).slice(0, 2)).toEqual([1, 2]);
  }, 90_000);
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
