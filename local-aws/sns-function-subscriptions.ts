import type { LambdaClient } from '@aws-sdk/client-lambda';
import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';
import { type AsyncInvokeTarget, sendToOnFailureDestination } from './async-invoke';
import { invokeFunction } from './invoke';
import { log } from './log';
import { type LocalPlan, timeoutOf } from './plan';

type Subscription = LocalPlan['functionSubscriptions'][number];

/** The private delivery queue of the index-th function subscription (queue names allow no `:`). */
export const deliveryQueueName = (index: number, functionName: string): string => `local-aws-sns-${index}-${functionName.replace(/[^A-Za-z0-9_-]/g, '-')}`.slice(0, 80);

/** Attempts per message, as Lambda's asynchronous invocation makes (1 + 2 retries). */
const ATTEMPTS = 3;

interface SnsEnvelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion?: string;
  Signature?: string;
  SigningCertURL?: string;
  UnsubscribeURL?: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/** The SNS event Lambda receives for one message, from the SNS envelope an SQS subscriber gets. */
export function toSnsEvent(envelope: SnsEnvelope, subscriptionArn: string): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: envelope.Type,
          MessageId: envelope.MessageId,
          TopicArn: envelope.TopicArn,
          Subject: envelope.Subject ?? (null as unknown as string),
          Message: envelope.Message,
          Timestamp: envelope.Timestamp,
          SignatureVersion: envelope.SignatureVersion ?? '1',
          Signature: envelope.Signature ?? 'local',
          SigningCertUrl: envelope.SigningCertURL ?? 'https://sns.us-east-1.amazonaws.com/local.pem',
          UnsubscribeUrl: envelope.UnsubscribeURL ?? 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: envelope.MessageAttributes ?? {},
        },
      },
    ],
  };
}

/**
 * SNS -> Lambda subscriptions. The emulator delivers only to queues, so each function
 * subscription becomes a private delivery queue subscribed with the same attributes (filter
 * policy included); every message is then invoked as an SNS event, retried on failure.
 */
export class SnsFunctionSubscriptions {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly clients: { sqs: SQSClient; sns: SNSClient; lambda: LambdaClient },
    private readonly plan: LocalPlan,
    private readonly asyncTarget: (functionName: string) => AsyncInvokeTarget,
  ) {}

  async start(): Promise<void> {
    for (const [index, subscription] of this.plan.functionSubscriptions.entries()) {
      const timeout = timeoutOf(this.plan, subscription.functionName);
      // One delivery queue per subscription: a function may subscribe to several topics.
      const queueName = deliveryQueueName(index, subscription.functionName);
      const { QueueUrl } = await this.clients.sqs.send(
        new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: String(Math.min(timeout + 2, 43200)) } }),
      );
      const queueArn = `${subscription.topicArn.split(':').slice(0, 5).join(':').replace(':sns:', ':sqs:')}:${queueName}`;
      const { SubscriptionArn } = await this.clients.sns.send(
        new SubscribeCommand({
          TopicArn: subscription.topicArn,
          Protocol: 'sqs',
          Endpoint: queueArn,
          Attributes: { ...subscription.attributes, RawMessageDelivery: 'false' },
          ReturnSubscriptionArn: true,
        }),
      );
      this.loops.push(this.poll(subscription, QueueUrl ?? '', SubscriptionArn ?? `${subscription.topicArn}:local`, timeout));
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async poll(subscription: Subscription, queueUrl: string, subscriptionArn: string, timeout: number): Promise<void> {
    while (!this.abort.signal.aborted) {
      let messages: Message[] = [];
      try {
        const output = await this.clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
          { abortSignal: this.abort.signal },
        );
        messages = output.Messages ?? [];
      } catch (error) {
        if (this.abort.signal.aborted) return;
        log.warn('SNS delivery receive failed; retrying', { reason: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      await Promise.all(messages.map((message) => this.deliver(subscription, queueUrl, subscriptionArn, timeout, message)));
    }
  }

  private async deliver(subscription: Subscription, queueUrl: string, subscriptionArn: string, timeout: number, message: Message): Promise<void> {
    const attempt = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
    const envelope = JSON.parse(message.Body ?? '{}') as SnsEnvelope;
    const event = toSnsEvent(envelope, subscriptionArn);
    const outcome = await invokeFunction(this.clients.lambda, subscription.functionName, event, timeout);
    if (!outcome.ok && attempt < ATTEMPTS) {
      log.warn('SNS delivery to function failed; will retry', { functionName: subscription.functionName, messageId: envelope.MessageId, attempt, reason: outcome.reason });
      return;
    }
    if (!outcome.ok) {
      await sendToOnFailureDestination(this.clients.sqs, this.asyncTarget(subscription.functionName), event, attempt, outcome.reason);
    }
    await this.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
  }
}
