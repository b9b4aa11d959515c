import type { MessageAttributeValue, SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { MissingGroupIdError, UsageError } from './errors';
import { isFifo } from './resolve-queue';

/** One message to send, as the user gave it (flags or a JSONL line). */
export interface MessageInput {
  body: string;
  groupId?: string;
  dedupId?: string;
  attributes?: Record<string, string>;
  delay?: number;
}

const ATTRIBUTE_NAME = /^(?!aws\.|amazon\.)(?!.*\.\.)[A-Za-z0-9_.-]{1,256}$/i;

/** `--attribute name=value` (the value may contain `=`) -> [name, value]. */
export function parseAttribute(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at < 1) throw new UsageError(`--attribute ${text}: expected name=value`);
  const name = text.slice(0, at);
  const value = text.slice(at + 1);
  if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.')) {
    throw new UsageError(`--attribute ${text}: ${name} is not a valid attribute name (letters, digits, _ - ., not starting with AWS. or Amazon.)`);
  }
  if (value === '') throw new UsageError(`--attribute ${text}: the value must not be empty`);
  return [name, value];
}

/** Repeated `--attribute name=value` flags -> String attributes; a name given twice is an error. */
export function parseAttributes(flags: readonly string[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const flag of flags) {
    const [name, value] = parseAttribute(flag);
    if (name in attributes) throw new UsageError(`--attribute ${name} is given twice`);
    attributes[name] = value;
  }
  if (Object.keys(attributes).length > 10) throw new UsageError('a message carries at most 10 attributes');
  return attributes;
}

/** An integer option within bounds: `--wait 20`. */
export function parseInteger(option: string, value: string | number, min: number, max: number): number {
  const number = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return number;
}

/** Rejects what SQS would reject for this queue, before any request: FIFO needs a group id, and so on. */
export function checkMessage(queueName: string, message: MessageInput): void {
  if (message.body === '') throw new UsageError('the message body must not be empty');
  if (isFifo(queueName)) {
    if (!message.groupId) throw new MissingGroupIdError(queueName);
    if (message.delay !== undefined) throw new UsageError(`FIFO queue ${queueName} takes no per-message delay (the queue's DelaySeconds applies)`);
  } else if (message.dedupId !== undefined) {
    throw new UsageError(`--dedup-id applies to FIFO queues only, ${queueName} is a standard queue`);
  }
  if (message.delay !== undefined) parseInteger('--delay', message.delay, 0, 900);
  for (const [option, id] of [['--group-id', message.groupId], ['--dedup-id', message.dedupId]] as const) {
    if (id !== undefined && !/^[\x21-\x7e]{1,128}$/.test(id)) throw new UsageError(`${option} must be 1 to 128 printable ASCII characters without spaces`);
  }
}

export function stringAttributeValues(attributes: Record<string, string> = {}): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));
}

/** The SendMessage / SendMessageBatch fields of a checked message. */
export function toSendEntry(message: MessageInput): Omit<SendMessageBatchRequestEntry, 'Id'> {
  return {
    MessageBody: message.body,
    MessageGroupId: message.groupId,
    MessageDeduplicationId: message.dedupId,
    DelaySeconds: message.delay,
    MessageAttributes: stringAttributeValues(message.attributes),
  };
}
