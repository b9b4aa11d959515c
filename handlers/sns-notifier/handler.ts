// First, so that even an error at start-up names our .ts files: platform/stack-traces.ts.
import '../platform/stack-traces';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../platform/logger';
import { renderText } from '../domain/notifications/render';
import { DeliveryFailedError, deliverToWebhooks } from '../domain/notifications/webhooks';
import { delivery, webhookChannels } from './config';
import { parseSnsEvent } from './event';

/**
 * snsNotifier: subscribed to the notifications topic (kind = notification) and the alarms topic.
 * Each notification is rendered and delivered to the log and to every configured webhook, with a
 * timeout and retries. A record that is not a notification is logged and skipped (no retry could
 * fix it). If a webhook still refuses after every attempt the invocation fails, so Lambda retries
 * it and finally hands it to the on-failure destination. Webhook URLs are never logged.
 */
export const handler = middy(async (event: unknown) => {
  const received = parseSnsEvent(event);
  const channels = await webhookChannels();
  const failures: { notificationId: string; channel: string; reason: string }[] = [];
  for (const { messageId, topicArn, notification, error } of received) {
    if (!notification) {
      logger.error('Notification rejected', { messageId, topicArn, reason: error?.reason, error: error?.message, issues: error?.issues });
      continue;
    }
    const ids = { messageId, notificationId: notification.id, eventType: notification.type };
    logger.info('Notification received', { ...ids, topicArn, severity: notification.severity, source: notification.source, text: renderText(notification) });
    for (const result of await deliverToWebhooks(channels, notification, delivery)) {
      if (result.ok) logger.info('Notification delivered', { ...ids, channel: result.channel, format: result.format, attempts: result.attempts, status: result.status });
      else {
        logger.error('Notification delivery failed', { ...ids, channel: result.channel, format: result.format, attempts: result.attempts, reason: result.reason });
        failures.push({ notificationId: notification.id, channel: result.channel, reason: result.reason });
      }
    }
  }
  if (failures.length > 0) throw new DeliveryFailedError(failures);
  const rejected = received.filter((record) => record.error).length;
  return { received: received.length - rejected, rejected, channels: channels.length };
}).use(injectLambdaContext(logger));
