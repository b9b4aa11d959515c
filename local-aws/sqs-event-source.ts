import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueAccess } from './in-process-sqs';
import { invokeFunction } from './invoke';
import type { LambdaInvoker } from './lambda-invoker';
import { log } from './log';
import type { LocalPlan } from './plan';
import { settleBatch } from './settle-batch';

type Mapping = LocalPlan['eventSourceMappings'][number];

/** Turns received SQS messages into the records Lambda hands to a function. */
export function toSqsEvent(messages: readonly Message[], queueArn: string, region: string): SQSEvent {
  return {
    Records: messages.map(
      (message): SQSRecord => ({
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: (message.Attributes ?? {}) as unknown as SQSRecord['attributes'],
        messageAttributes: Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
            name,
            {
              dataType: value.DataType ?? 'String',
              stringValue: value.StringValue,
              binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
              stringListValues: value.StringListValues ?? [],
              binaryListValues: [],
            },
          ]),
        ),
        md5OfBody: message.MD5OfBody ?? '',
        ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      }),
    ),
  };
}

/**
 * An SQS event source mapping as Lambda runs it: long-polls the queue, gathers up to `batchSize`
 * messages within `maximumBatchingWindowInSeconds`, invokes the function with at most
 * `maximumConcurrency` batches in flight, and deletes only what the function reports as done.
 * Failed records are left alone: they return after the visibility timeout, and the queue's
 * redrive policy moves them to the DLQ after maxReceiveCount receives. It reaches the queue as
 * Lambda's pollers do, from inside: `queues` are the emulator's own API handlers, in-process, and
 * `lambda` invokes unsigned over kept-alive connections.
 */
export class SqsEventSource {
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private loop?: Promise<void>;

  constructor(
    private readonly queues: QueueAccess,
    private readonly lambda: LambdaInvoker,
    private readonly mapping: Mapping,
    private readonly queueUrl: string,
    private readonly functionTimeoutSeconds: number,
    private readonly region: string,
  ) {}

  start(): void {
    if (this.mapping.enabled) this.loop = this.run();
  }

  /** Stops polling and waits for the batches in flight to settle. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      while (this.inFlight.size >= this.mapping.maximumConcurrency) await Promise.race(this.inFlight);
      let messages: Message[];
      try {
        messages = await this.collectBatch();
      } catch (error) {
        if (this.abort.signal.aborted) return;
        log.warn('Receive failed; retrying', { queueUrl: this.queueUrl, reason: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (messages.length === 0) continue;
      const task = this.invokeAndSettle(messages).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
  }

  private async receive(max: number, waitSeconds: number): Promise<Message[]> {
    return this.queues.receive(this.queueUrl, max, waitSeconds, this.abort.signal);
  }

  private async collectBatch(): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowInSeconds: window } = this.mapping;
    const messages = await this.receive(batchSize, 20);
    const deadline = Date.now() + window * 1000;
    while (messages.length > 0 && messages.length < batchSize && Date.now() < deadline && !this.abort.signal.aborted) {
      const wait = Math.min(20, Math.ceil((deadline - Date.now()) / 1000));
      messages.push(...(await this.receive(batchSize - messages.length, wait)));
    }
    return messages;
  }

  private async invokeAndSettle(messages: Message[]): Promise<void> {
    const event = toSqsEvent(messages, this.mapping.queueArn, this.region);
    const ids = event.Records.map((record) => record.messageId);
    const outcome = await invokeFunction(this.lambda, this.mapping.functionName, event, this.functionTimeoutSeconds);
    const settlement = settleBatch(ids, outcome, this.mapping.reportBatchItemFailures);
    if (settlement.kind === 'batch-failed') {
      log.warn('Batch failed; nothing deleted', { functionName: this.mapping.functionName, queueArn: this.mapping.queueArn, size: ids.length, reason: settlement.reason });
    } else if (settlement.kind === 'partial') {
      log.info('Partial batch failure', { functionName: this.mapping.functionName, queueArn: this.mapping.queueArn, size: ids.length, failedIds: settlement.failedIds });
    }
    await this.deleteMessages(messages.filter((message) => settlement.deleteIds.includes(message.MessageId ?? '')));
  }

  private async deleteMessages(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      try {
        const failures = await this.queues.deleteBatch(
          this.queueUrl,
          chunk.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })),
        );
        for (const failed of failures) {
          log.warn('Delete failed; the message will be redelivered', { queueUrl: this.queueUrl, code: failed.Code, reason: failed.Message });
        }
      } catch (error) {
        log.warn('Delete failed; the messages will be redelivered', { queueUrl: this.queueUrl, reason: (error as Error).message });
      }
    }
  }
}
