import type { SNSClient } from '@aws-sdk/client-sns';
import { logger } from '../../platform/logger';
import type { NotificationDraft } from './notification';
import { publishNotification, type PublishOptions } from './publish';

/**
 * What a worker calls after acting: publishes the notification and logs the outcome. It never
 * throws: the caller decides what a failed announcement means (s3Copier fails the record so the
 * event is retried; sqsConsumer's dead-letter notice is best effort).
 */
export async function announce(sns: SNSClient, topicArn: string, draft: NotificationDraft, options: PublishOptions = {}): Promise<boolean> {
  try {
    const { messageId, notification } = await publishNotification(sns, topicArn, draft, options);
    logger.info('Notification published', { eventType: notification.type, notificationId: notification.id, snsMessageId: messageId });
    return true;
  } catch (error) {
    logger.error('Notification publish failed', { eventType: draft.type, notificationId: draft.id, error: error as Error });
    return false;
  }
}
