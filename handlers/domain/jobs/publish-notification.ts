import { z } from 'zod';
import { NotificationSchema } from '../notifications/notification';
import { defineJob } from './job';

/**
 * Publish a notification to the notifications topic.
 * Idempotent in the way SNS allows: SNS delivery is at-least-once on AWS too, so each notification
 * carries a stable `id` (the job's, else the SQS messageId) and a redelivered job republishes the
 * same id, which subscribers deduplicate on.
 */
export const publishNotificationJob = defineJob({
  type: 'publish-notification',
  schema: z.object({
    type: z.literal('publish-notification'),
    id: z.string().min(1).max(128).optional(),
    notification: NotificationSchema,
  }),
  async run(job, context) {
    // Imported when the job runs, with the SNS SDK it uses: see `JobContext.clients`.
    const { publishNotification } = await import('../notifications/publish');
    const details = { ...job.notification.details, notificationId: job.id ?? context.messageId };
    return publishNotification(await context.clients.sns(), context.config.notificationsTopicArn, {
      ...job.notification,
      details,
    });
  },
});
