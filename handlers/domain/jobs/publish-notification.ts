import * as z from '../../platform/zod';
import { NotificationDraftSchema } from '../notifications/notification';
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
    id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    notification: NotificationDraftSchema,
  }),
  async run(job, context) {
    // Imported when the job runs, with the SNS SDK it uses: see `JobContext.clients`.
    const [{ publishNotification }, sns] = await Promise.all([import('../notifications/publish'), context.clients.sns()]);
    const id = job.notification.id ?? job.id ?? context.messageId;
    const { messageId, notification } = await publishNotification(sns, context.config.notificationsTopicArn, {
      ...job.notification,
      id,
      source: job.notification.source ?? 'sqsConsumer',
    });
    return { messageId, notificationId: notification.id };
  },
});
