import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from './client';
import { parseInteger } from './message';
import type { Queue } from './resolve-queue';

export interface ReceiveFlags {
  wait: string;
  max: string;
  visibility?: string;
}

export interface ReceiveOptions {
  waitSeconds: number;
  max: number;
  visibilitySeconds?: number;
}

export function receiveOptions(flags: ReceiveFlags): ReceiveOptions {
  return {
    waitSeconds: parseInteger('--wait', flags.wait, 0, 20),
    max: parseInteger('--max', flags.max, 1, 10),
    visibilitySeconds: flags.visibility === undefined ? undefined : parseInteger('--visibility', flags.visibility, 0, 43_200),
  };
}

/** A received message as `receive --json` prints it, one JSON object per line. */
export interface ReceivedMessage {
  messageId: string;
  body: string;
  /** System attributes: ApproximateReceiveCount, SentTimestamp, MessageGroupId, ... */
  attributes: Record<string, string>;
  /** Message attributes; binary values in base64. */
  messageAttributes: Record<string, { dataType: string; value: string }>;
  receiveCount: number;
  receiptHandle: string;
}

export function toReceived(message: Message): ReceivedMessage {
  const attributes: Record<string, string> = { ...message.Attributes };
  return {
    messageId: message.MessageId ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { dataType: value.DataType ?? 'String', value: value.StringValue ?? (value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : '') },
      ]),
    ),
    receiveCount: Number(attributes.ApproximateReceiveCount ?? 0),
    receiptHandle: message.ReceiptHandle ?? '',
  };
}

const TIMESTAMPS = new Set(['SentTimestamp', 'ApproximateFirstReceiveTimestamp']);

/** The message for people: id, body, attributes, system attributes (times in ISO) and the receipt handle. */
export function formatMessage(message: ReceivedMessage): string {
  const messageAttributes = Object.entries(message.messageAttributes).map(([name, { dataType, value }]) => `${name}=${value} (${dataType})`);
  const system = Object.entries(message.attributes).map(([name, value]) =>
    TIMESTAMPS.has(name) && /^\d+$/.test(value) ? `${name}=${value} (${new Date(Number(value)).toISOString()})` : `${name}=${value}`,
  );
  return [
    `MessageId      ${message.messageId}`,
    `Body           ${message.body}`,
    `Attributes     ${messageAttributes.join('\n               ') || '-'}`,
    `System         ${system.join('\n               ') || '-'}`,
    `ReceiptHandle  ${message.receiptHandle}`,
  ].join('\n');
}

/** One long poll: up to `max` messages, with all their message and system attributes. */
export async function receive(queue: Queue, options: ReceiveOptions): Promise<ReceivedMessage[]> {
  const { Messages = [] } = await sqs().send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      WaitTimeSeconds: options.waitSeconds,
      MaxNumberOfMessages: options.max,
      VisibilityTimeout: options.visibilitySeconds,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages.map(toReceived);
}
