import { z } from 'zod';
import { NotificationDraftSchema } from '../notifications/notification';
import { publishNotification } from '../notifications/publish';
import { defineJob } from './job';

/**
 * Publish a typed notification (any type of `notifications/notification.ts`) to the topic.
 * Idempotent in the way SNS allows: SNS delivery is at-least-once on AWS too, so the notification
 * gets a stable id (its own, else the job's, else the SQS messageId) and a redelivered job
 * republishes the same id, which subscribers deduplicate on (a FIFO topic does it itself).
 */
export const publishNotificationJob = defineJob({
  type: 'publish-notification',
  schema: z.object({
    type: z.literal('publish-notification'),
    id: z.string().min(1).max(128).optional(),
    notification: NotificationDraftSchema,
  }),
  async run(job, context) {
    const id = job.notification.id ?? job.id ?? context.messageId;
    const { messageId, notification } = await publishNotification(context.clients.sns, context.config.notificationsTopicArn, {
      ...job.notification,
      id,
      source: job.notification.source ?? 'sqsConsumer',
    });
    return { messageId, notificationId: notification.id };
  },
});
