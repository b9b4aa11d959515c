import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ListMessageMoveTasksCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { describeAwsError, isNotADeadLetterQueue, isUnsupportedAction } from './aws-errors';
import { sqs } from './client';
import { type FailedMessage, PartialFailureError } from './errors';
import { progressBar } from './progress';
import { redriveEntry, redriveSource } from './redrive-source';
import { isFifo, queueAttributes, type Queue, resolveQueue, resolveQueueArn } from './resolve-queue';

export interface RedriveResult {
  method: 'message move task' | 'by hand';
  moved: number;
  failed: FailedMessage[];
  /** Why the move task was not used. */
  note?: string;
}

/** While the DLQ copy is being sent on, nobody else sees it. */
const HOLD_SECONDS = 120;
const POLL_MS = 2000;

async function arnOf(queue: Queue, stage: string): Promise<string> {
  const { QueueArn } = await queueAttributes(queue, stage, ['QueueArn']);
  if (!QueueArn) throw new Error(`${queue.name} has no QueueArn`);
  return QueueArn;
}

/** The queue the DLQ's messages go back to: `--to`, else the DLQ's RedriveAllowPolicy, else its name. */
export async function redriveTarget(dlq: Queue, stage: string, to?: string): Promise<Queue> {
  const source = redriveSource(dlq.name, await queueAttributes(dlq, stage, ['RedriveAllowPolicy', 'RedrivePolicy']), to);
  if (source.from === 'option') return resolveQueue(source.ref, stage);
  if (source.from === 'redrive-allow-policy') return resolveQueueArn(source.arn, stage);
  return resolveQueue(source.name, stage);
}

/** Waits for the message move task SQS runs on the DLQ to finish, and reports what it moved. */
async function awaitMoveTask(dlqArn: string): Promise<RedriveResult> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const { Results = [] } = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }));
    const task = Results[0];
    if (!task || task.Status === 'RUNNING' || task.Status === 'CANCELLING') continue;
    const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
    if (task.Status === 'COMPLETED') return { method: 'message move task', moved, failed: [] };
    throw new PartialFailureError(`the message move task ended ${task.Status} after moving ${moved} messages: ${task.FailureReason ?? 'no reason given'}`, []);
  }
}

async function moveBatch(dlq: Queue, source: Queue, messages: Message[], result: RedriveResult): Promise<boolean> {
  const toFifo = isFifo(source.name);
  const entries: { id: string; message: Message; entry: ReturnType<typeof redriveEntry> }[] = [];
  const unsent: Message[] = [];
  messages.forEach((message, index) => {
    try {
      entries.push({ id: String(index), message, entry: redriveEntry(message, toFifo) });
    } catch (error) {
      result.failed.push({ ref: message.MessageId ?? '', reason: (error as Error).message });
      unsent.push(message);
    }
  });
  const sent: Message[] = [];
  if (entries.length > 0) {
    try {
      const output = await sqs().send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: entries.map(({ id, entry }) => ({ Id: id, ...entry })) }));
      const ok = new Set((output.Successful ?? []).map((s) => s.Id));
      for (const { id, message } of entries) if (ok.has(id)) sent.push(message);
      for (const failure of output.Failed ?? []) {
        const message = entries.find((e) => e.id === failure.Id)?.message;
        result.failed.push({ ref: message?.MessageId ?? '', reason: `${failure.Code ?? 'Failed'}: ${failure.Message ?? ''}`.trim() });
        if (message) unsent.push(message);
      }
    } catch (error) {
      for (const { message } of entries) {
        result.failed.push({ ref: message.MessageId ?? '', reason: describeAwsError(error) });
        unsent.push(message);
      }
    }
  }
  if (sent.length > 0) {
    // Only what reached the source queue leaves the DLQ.
    const output = await sqs().send(
      new DeleteMessageBatchCommand({ QueueUrl: dlq.url, Entries: sent.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })) }),
    );
    result.moved += output.Successful?.length ?? 0;
    for (const failure of output.Failed ?? []) {
      const message = sent[Number(failure.Id)];
      result.failed.push({ ref: message?.MessageId ?? '', reason: `sent to ${source.name} but not deleted from ${dlq.name} (${failure.Code}): it is in both queues` });
    }
  }
  if (unsent.length > 0) {
    // Back to visible in the DLQ now rather than after the hold.
    await sqs()
      .send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: dlq.url, Entries: unsent.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })) }))
      .catch(() => undefined);
  }
  return unsent.length === 0;
}

/** Receive from the DLQ, send to the source, delete from the DLQ; until a 1-second poll finds nothing. */
async function byHand(dlq: Queue, source: Queue, stage: string, max: number | undefined, note?: string): Promise<RedriveResult> {
  const result: RedriveResult = { method: 'by hand', moved: 0, failed: [], note };
  const { ApproximateNumberOfMessages } = await queueAttributes(dlq, stage, ['ApproximateNumberOfMessages']);
  const progress = progressBar(Math.min(max ?? Infinity, Number(ApproximateNumberOfMessages ?? 0)), 'redriving');
  try {
    while (max === undefined || result.moved < max) {
      const { Messages = [] } = await sqs().send(
        new ReceiveMessageCommand({
          QueueUrl: dlq.url,
          MaxNumberOfMessages: Math.min(10, (max ?? Infinity) - result.moved),
          WaitTimeSeconds: 1,
          VisibilityTimeout: HOLD_SECONDS,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      const before = result.moved;
      const clean = await moveBatch(dlq, source, Messages, result);
      progress.advance(result.moved - before);
      // A failure stops the run: the failed messages would only come back to fail again.
      if (!clean) break;
    }
  } finally {
    progress.stop();
  }
  return result;
}

/**
 * Moves the messages of a dead-letter queue back to its source queue: with a message move task
 * where the service has them (and no --max is given), else by hand.
 */
export async function redrive(dlq: Queue, source: Queue, stage: string, max?: number): Promise<RedriveResult> {
  if (max !== undefined) return byHand(dlq, source, stage, max, '--max limits the count, which a message move task cannot');
  const [dlqArn, sourceArn] = await Promise.all([arnOf(dlq, stage), arnOf(source, stage)]);
  try {
    await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: sourceArn }));
  } catch (error) {
    if (isNotADeadLetterQueue(error)) {
      return byHand(dlq, source, stage, max, `no queue names ${dlq.name} as its dead-letter queue, which a message move task needs (${describeAwsError(error)})`);
    }
    if (!isUnsupportedAction(error)) throw error;
    return byHand(dlq, source, stage, max, `the service has no message move tasks (${describeAwsError(error)})`);
  }
  return awaitMoveTask(dlqArn);
}
