import type { BatchResultErrorEntry, Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SqsAction } from 'fauxqs';

/**
 * The SQS calls an event source mapping makes. On AWS the mappings live inside Lambda, not behind
 * SQS's public API; here they call the emulator's own API handlers in the same process.
 */
export interface QueueAccess {
  /** ReceiveMessage with every system and message attribute; long-polls up to `waitSeconds`, gives up (no messages) once `signal` aborts. */
  receive(queueUrl: string, max: number, waitSeconds: number, signal: AbortSignal): Promise<Message[]>;
  /** DeleteMessageBatch (at most 10 entries); the entries that failed. */
  deleteBatch(queueUrl: string, entries: { Id: string; ReceiptHandle: string }[]): Promise<BatchResultErrorEntry[]>;
}

/** A message as fauxqs's ReceiveMessage handler returns it: the JSON protocol's shape, binary values in base64. */
type JsonMessage = Omit<Message, 'MessageAttributes'> & {
  MessageAttributes?: Record<string, Omit<MessageAttributeValue, 'BinaryValue' | 'BinaryListValues'> & { BinaryValue?: string; BinaryListValues?: string[] }>;
};

/** The JSON protocol's message as the SDK hands it over: binary attribute values decoded to bytes. */
function asSdkMessage(message: JsonMessage): Message {
  if (!message.MessageAttributes) return message as Message;
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, { BinaryValue, BinaryListValues, ...value }] of Object.entries(message.MessageAttributes)) {
    attributes[name] = {
      ...value,
      ...(BinaryValue !== undefined ? { BinaryValue: Buffer.from(BinaryValue, 'base64') } : {}),
      ...(BinaryListValues !== undefined ? { BinaryListValues: BinaryListValues.map((item) => Buffer.from(item, 'base64')) } : {}),
    };
  }
  return { ...message, MessageAttributes: attributes };
}

/**
 * Queue access through fauxqs's SQS API handlers in this process (`sqsAction`, see
 * patches/fauxqs+2.4.1.patch): the very functions an HTTP ReceiveMessage or DeleteMessageBatch
 * runs, on the same store, so visibility timeouts, receive counts, redrive to the DLQ, FIFO
 * message groups and receipt-handle checks behave exactly as through the API, without the
 * request signing, hashing and (de)serialisation of an SDK client and an HTTP server in between.
 */
export function inProcessQueueAccess(sqsAction: SqsAction): QueueAccess {
  return {
    async receive(queueUrl, max, waitSeconds, signal) {
      const received = sqsAction('ReceiveMessage', {
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }) as Promise<{ Messages?: JsonMessage[] }>;
      // As an aborted HTTP request: the handler still completes, what it received comes back after
      // its visibility timeout.
      const output = await new Promise<{ Messages?: JsonMessage[] }>((resolve, reject) => {
        if (signal.aborted) return resolve({});
        const onAbort = () => resolve({});
        signal.addEventListener('abort', onAbort, { once: true });
        received.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
      return (output.Messages ?? []).map(asSdkMessage);
    },
    async deleteBatch(queueUrl, entries) {
      const output = (await sqsAction('DeleteMessageBatch', { QueueUrl: queueUrl, Entries: entries })) as { Failed?: BatchResultErrorEntry[] };
      return output.Failed ?? [];
    },
  };
}
