import { readFileSync } from 'node:fs';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describeAwsError } from './aws-errors';
import { chunkForBatches } from './batches';
import { sqs } from './client';
import { type FailedMessage, JsonlError, PartialFailureError, UsageError } from './errors';
import { type JsonlMessage, parseJsonl } from './jsonl';
import { checkMessage, type MessageInput, parseAttributes, parseInteger, toSendEntry } from './message';
import { progressBar } from './progress';
import type { Queue } from './resolve-queue';

export interface SendFlags {
  body?: string;
  file?: string;
  jsonl?: string;
  attribute: string[];
  groupId?: string;
  dedupId?: string;
  delay?: string;
}

export type SendPlan = { kind: 'one'; message: MessageInput } | { kind: 'jsonl'; file: string; messages: JsonlMessage[] };

/** Checks the flags and the input against the queue; nothing is sent when anything is wrong. */
export function planSend(queueName: string, flags: SendFlags, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): SendPlan {
  const sources = (['body', 'file', 'jsonl'] as const).filter((source) => flags[source] !== undefined);
  if (sources.length !== 1) throw new UsageError('send needs exactly one of --body, --file or --jsonl');
  const attributes = parseAttributes(flags.attribute);
  const delay = flags.delay === undefined ? undefined : parseInteger('--delay', flags.delay, 0, 900);
  const read = (path: string) => {
    try {
      return readFile(path);
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
    }
  };
  if (flags.jsonl !== undefined) {
    if (flags.dedupId !== undefined) throw new UsageError('--dedup-id would make every line a duplicate of the first: put dedupId on the lines instead');
    const { messages, problems } = parseJsonl(read(flags.jsonl), queueName, { groupId: flags.groupId, attributes, delay });
    if (problems.length > 0) throw new JsonlError(flags.jsonl, problems);
    if (messages.length === 0) throw new UsageError(`${flags.jsonl} has no messages`);
    return { kind: 'jsonl', file: flags.jsonl, messages };
  }
  const message: MessageInput = {
    body: flags.body ?? read(flags.file ?? ''),
    groupId: flags.groupId,
    dedupId: flags.dedupId,
    attributes,
    delay,
  };
  checkMessage(queueName, message);
  return { kind: 'one', message };
}

export async function sendOne(queue: Queue, message: MessageInput): Promise<string> {
  const { MessageId } = await sqs().send(new SendMessageCommand({ QueueUrl: queue.url, ...toSendEntry(message) }));
  return MessageId ?? '';
}

export interface BulkResult {
  sent: { line: number; messageId: string }[];
  failed: FailedMessage[];
}

/** Sends the lines in SendMessageBatch requests of up to 10, reporting each failed line. */
export async function sendBulk(queue: Queue, messages: readonly JsonlMessage[]): Promise<BulkResult> {
  const result: BulkResult = { sent: [], failed: [] };
  const progress = progressBar(messages.length, 'sending');
  try {
    for (const batch of chunkForBatches(messages)) {
      try {
        const output = await sqs().send(
          new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: batch.map((item) => ({ Id: String(item.line), ...toSendEntry(item.message) })) }),
        );
        for (const ok of output.Successful ?? []) result.sent.push({ line: Number(ok.Id), messageId: ok.MessageId ?? '' });
        for (const failed of output.Failed ?? []) {
          result.failed.push({ ref: `line ${failed.Id}`, reason: `${failed.Code ?? 'Failed'}: ${failed.Message ?? ''}`.trim() });
        }
      } catch (error) {
        for (const item of batch) result.failed.push({ ref: `line ${item.line}`, reason: describeAwsError(error) });
      }
      progress.advance(batch.length);
    }
  } finally {
    progress.stop();
  }
  result.sent.sort((a, b) => a.line - b.line);
  result.failed.sort((a, b) => Number(a.ref.slice(5)) - Number(b.ref.slice(5)));
  return result;
}

export function bulkFailure(file: string, result: BulkResult): PartialFailureError {
  const total = result.sent.length + result.failed.length;
  return new PartialFailureError(
    `${result.failed.length} of ${total} messages of ${file} failed:\n${result.failed.map((f) => `  ${f.ref}: ${f.reason}`).join('\n')}`,
    result.failed,
  );
}
