import { describeIssues, InvalidEventError, WorkerError } from '../platform/errors';
import * as z from '../platform/zod';
import { alarmRaisedFromCloudWatch, CloudWatchAlarmMessageSchema, looksLikeCloudWatchAlarm } from '../domain/notifications/cloudwatch-alarm';
import { isNotificationType, type Notification, NotificationSchema } from '../domain/notifications/notification';
import { SNS_MAX_MESSAGE_BYTES } from '../domain/notifications/publish';

/**
 * An SNS event, field for field as Powertools' parser schema (SnsSchema) checks it, written with
 * zod/mini: that schema is built on zod's classic API, whose loading alone cost ~25 ms of the
 * notifier's cold start (bench/profiles/cold-start.txt).
 */
export const SnsSchema = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns'),
        EventVersion: z.string(),
        EventSubscriptionArn: z.string(),
        Sns: z.object({
          Subject: z.nullish(z.string()),
          TopicArn: z.string(),
          UnsubscribeUrl: z.url(),
          UnsubscribeURL: z.optional(z.url()),
          SigningCertUrl: z.optional(z.url()),
          SigningCertURL: z.optional(z.url()),
          Type: z.literal('Notification'),
          MessageAttributes: z.optional(z.record(z.string(), z.object({ Type: z.string(), Value: z.string() }))),
          Message: z.string(),
          MessageId: z.string(),
          Signature: z.optional(z.string()),
          SignatureVersion: z.optional(z.string()),
          Timestamp: z.iso.datetime(),
        }),
      }),
    )
    .check(z.minLength(1)),
});

export type MalformedReason = 'too-large' | 'not-json' | 'missing-attribute' | 'unknown-type' | 'type-mismatch' | 'invalid-fields';

/** A record whose message is not a notification; retrying it could never succeed. */
export class MalformedNotificationError extends WorkerError {
  override readonly name = 'MalformedNotificationError';
  constructor(
    message: string,
    readonly messageId: string,
    readonly reason: MalformedReason,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface ReceivedNotification {
  messageId: string;
  topicArn: string;
  notification?: Notification;
  error?: MalformedNotificationError;
}

interface SnsMessage {
  MessageId: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }> | null;
}

/**
 * One record's message as a notification. Typed notifications carry an `eventType` message
 * attribute naming their type; CloudWatch alarm messages (the alarms topic) carry none and are
 * recognised by their shape.
 */
export function parseNotificationMessage(sns: SnsMessage): Notification | MalformedNotificationError {
  const fail = (message: string, reason: MalformedReason, issues: readonly string[] = []) =>
    new MalformedNotificationError(message, sns.MessageId, reason, issues);
  const bytes = Buffer.byteLength(sns.Message);
  if (bytes > SNS_MAX_MESSAGE_BYTES) return fail(`Message is ${bytes} bytes, over the ${SNS_MAX_MESSAGE_BYTES} SNS allows`, 'too-large');
  let body: unknown;
  try {
    body = JSON.parse(sns.Message);
  } catch {
    return fail('Message is not JSON', 'not-json');
  }
  const eventType = sns.MessageAttributes?.eventType?.Value;
  if (eventType === undefined) {
    if (looksLikeCloudWatchAlarm(body)) {
      const alarm = CloudWatchAlarmMessageSchema.safeParse(body);
      if (!alarm.success) return fail('CloudWatch alarm message is malformed', 'invalid-fields', describeIssues(alarm.error.issues));
      return alarmRaisedFromCloudWatch(alarm.data, sns.MessageId);
    }
    return fail('Message has no eventType attribute', 'missing-attribute');
  }
  if (!isNotificationType(eventType)) return fail(`Unknown notification type "${eventType.slice(0, 100)}"`, 'unknown-type');
  const type = (body as { type?: unknown } | null)?.type;
  if (type !== eventType) return fail(`Message type ${JSON.stringify(type)?.slice(0, 100)} does not match its eventType attribute "${eventType}"`, 'type-mismatch');
  const parsed = NotificationSchema.safeParse(body);
  if (!parsed.success) return fail(`Message is not a valid ${eventType} notification`, 'invalid-fields', describeIssues(parsed.error.issues));
  return parsed.data;
}

/** Validates an SNS event and parses each record's message; a bad record is that record's error. */
export function parseSnsEvent(event: unknown): ReceivedNotification[] {
  const result = SnsSchema.safeParse(event);
  if (!result.success) throw new InvalidEventError('Not an SNS event', describeIssues(result.error.issues));
  return result.data.Records.map(({ Sns: sns }) => {
    const parsed = parseNotificationMessage(sns);
    const base = { messageId: sns.MessageId, topicArn: sns.TopicArn };
    return parsed instanceof MalformedNotificationError ? { ...base, error: parsed } : { ...base, notification: parsed };
  });
}
