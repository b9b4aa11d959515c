import { SnsSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { describeIssues, InvalidEventError, WorkerError } from '../platform/errors';
import { NotificationSchema, type Notification } from '../domain/notifications/notification';

/** A notification message that is not JSON or not a notification. */
export class MalformedNotificationError extends WorkerError {
  override readonly name = 'MalformedNotificationError';
  constructor(
    message: string,
    readonly messageId: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface ReceivedNotification {
  messageId: string;
  topicArn: string;
  subject?: string;
  notification?: Notification;
  error?: MalformedNotificationError;
}

/** Validates an SNS event and parses each record's message as a notification. */
export function parseSnsEvent(event: unknown): ReceivedNotification[] {
  const result = SnsSchema.safeParse(event);
  if (!result.success) throw new InvalidEventError('Not an SNS event', describeIssues(result.error.issues));
  return result.data.Records.map(({ Sns: sns }) => {
    const base = { messageId: sns.MessageId, topicArn: sns.TopicArn, subject: sns.Subject ?? undefined };
    let body: unknown;
    try {
      body = JSON.parse(sns.Message);
    } catch {
      return { ...base, error: new MalformedNotificationError('Message is not JSON', sns.MessageId) };
    }
    const parsed = NotificationSchema.safeParse(body);
    if (!parsed.success) {
      return {
        ...base,
        error: new MalformedNotificationError('Message is not a notification', sns.MessageId, describeIssues(parsed.error.issues)),
      };
    }
    return { ...base, notification: parsed.data };
  });
}
