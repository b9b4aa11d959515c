import { createHash } from 'node:crypto';
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import { WorkerError } from '../../platform/errors';
import { completeNotification, type Notification, type NotificationDraft } from './notification';
import { renderForSubscribers, subjectFor } from './render';

/** SNS refuses messages (body and attributes) over 256 KiB. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** A notification whose rendering is larger than SNS accepts. */
export class NotificationTooLargeError extends WorkerError {
  override readonly name = 'NotificationTooLargeError';
  constructor(
    readonly notificationId: string,
    readonly bytes: number,
  ) {
    super(`Notification ${notificationId} renders to ${bytes} bytes; SNS accepts at most ${SNS_MAX_MESSAGE_BYTES}`);
  }
}

export interface PublishOptions {
  /** FIFO topics only: the ordering group (default: the notification's source). */
  messageGroupId?: string;
}

export interface Published {
  messageId: string | undefined;
  notification: Notification;
}

/**
 * The message attributes subscriptions filter on. `kind = notification` keeps notifications off
 * the work queue (its subscription takes `kind = job`).
 */
export function notificationAttributes(notification: Notification): Record<string, MessageAttributeValue> {
  return {
    kind: { DataType: 'String', StringValue: 'notification' },
    eventType: { DataType: 'String', StringValue: notification.type },
    severity: { DataType: 'String', StringValue: notification.severity },
    source: { DataType: 'String', StringValue: notification.source },
  };
}

/** A FIFO deduplication id (at most 128 characters of a restricted set) from the notification id. */
export function deduplicationIdOf(notification: Notification): string {
  return createHash('sha256').update(notification.id).digest('hex');
}

/**
 * The one way a worker announces what it did: validates the draft (filling id, time, source and
 * severity), renders it per protocol (`MessageStructure: json`), sets the attributes
 * subscriptions filter on and, on a FIFO topic, the group and deduplication ids.
 */
export async function publishNotification(
  sns: SNSClient,
  topicArn: string,
  draft: NotificationDraft,
  options: PublishOptions = {},
): Promise<Published> {
  const notification = completeNotification(draft);
  const message = JSON.stringify(renderForSubscribers(notification));
  const attributes = notificationAttributes(notification);
  const bytes =
    Buffer.byteLength(message) +
    Object.entries(attributes).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(`${value.DataType}${value.StringValue}`), 0);
  if (bytes > SNS_MAX_MESSAGE_BYTES) throw new NotificationTooLargeError(notification.id, bytes);
  const fifo = topicArn.endsWith('.fifo')
    ? { MessageGroupId: options.messageGroupId ?? notification.source, MessageDeduplicationId: deduplicationIdOf(notification) }
    : {};
  const output = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subjectFor(notification),
      MessageStructure: 'json',
      Message: message,
      MessageAttributes: attributes,
      ...fifo,
    }),
  );
  return { messageId: output.MessageId, notification };
}
