import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { NotificationSchema, type NotificationInput } from './notification';
import { renderForSubscribers, subjectFor } from './render';

/**
 * Publishes a notification to the topic, shaped per subscriber kind. The `kind` and `severity`
 * message attributes let subscriptions filter (the work queue only takes `kind = job`).
 */
export async function publishNotification(
  sns: SNSClient,
  topicArn: string,
  input: NotificationInput,
): Promise<{ messageId: string | undefined }> {
  const notification = NotificationSchema.parse(input);
  const output = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subjectFor(notification),
      MessageStructure: 'json',
      Message: JSON.stringify(renderForSubscribers(notification)),
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'notification' },
        severity: { DataType: 'String', StringValue: notification.severity },
      },
    }),
  );
  return { messageId: output.MessageId };
}
