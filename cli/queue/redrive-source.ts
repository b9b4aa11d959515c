import type { Message, MessageAttributeValue, SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { RedriveSourceError } from './errors';
import { parseQueueArn } from './resolve-queue';
import { deadLetterTargetArn, sourceQueueArns } from './queue-policies';

/** Where a dead-letter queue's messages go back to: `--to`, its RedriveAllowPolicy, or its name. */
export type RedriveSource =
  | { from: 'option'; ref: string }
  | { from: 'redrive-allow-policy'; arn: string; name: string }
  | { from: 'naming-convention'; name: string };

export interface DlqPolicies {
  RedriveAllowPolicy?: string;
  /** Set when the queue is itself a source queue: then it is not the queue to redrive. */
  RedrivePolicy?: string;
}

export function redriveSource(dlqName: string, policies: DlqPolicies, to?: string): RedriveSource {
  if (to !== undefined) return { from: 'option', ref: to };
  const ownDlq = deadLetterTargetArn(policies.RedrivePolicy);
  if (ownDlq) {
    const name = parseQueueArn(ownDlq).name;
    throw new RedriveSourceError(`${dlqName} is not a dead-letter queue, it dead-letters into ${name}: redrive --queue ${name}`);
  }
  const redriveAllowPolicy = policies.RedriveAllowPolicy;
  const arns = sourceQueueArns(redriveAllowPolicy);
  if (arns.length > 1) {
    throw new RedriveSourceError(`${dlqName} allows ${arns.length} source queues (${arns.map((arn) => parseQueueArn(arn).name).join(', ')}): name one with --to`);
  }
  const [arn] = arns;
  if (arn) return { from: 'redrive-allow-policy', arn, name: parseQueueArn(arn).name };
  const match = /^(.+)-dlq(\.fifo)?$/.exec(dlqName);
  if (match) return { from: 'naming-convention', name: `${match[1]}${match[2] ?? ''}` };
  throw new RedriveSourceError(
    `cannot tell where the messages of ${dlqName} go back to: it has no RedriveAllowPolicy naming one source queue and its name does not end in -dlq; name the queue with --to`,
  );
}

/** Message attributes as SendMessage takes them (the list fields of a received message are not accepted). */
function sendableAttributes(attributes: Message['MessageAttributes']): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([name, { DataType, StringValue, BinaryValue }]) => [name, { DataType, StringValue, BinaryValue }]));
}

/**
 * The send of a dead-lettered message back to its source: same body and attributes, and for FIFO
 * the same group. The deduplication id is the message id, not the original MessageDeduplicationId:
 * SQS keeps a message's id when it dead-letters it, so a redrive repeated after a crash is still
 * deduplicated, while the original id would make SQS drop the message as a duplicate of its own
 * first send whenever that was less than 5 minutes ago (and the DLQ copy is deleted after).
 */
export function redriveEntry(message: Message, toFifo: boolean): Omit<SendMessageBatchRequestEntry, 'Id'> {
  const entry = { MessageBody: message.Body ?? '', MessageAttributes: sendableAttributes(message.MessageAttributes) };
  if (!toFifo) return entry;
  const groupId = message.Attributes?.MessageGroupId;
  if (!groupId) throw new Error(`message ${message.MessageId} has no MessageGroupId to keep in a FIFO queue`);
  return { ...entry, MessageGroupId: groupId, MessageDeduplicationId: message.MessageId };
}
