import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../platform/logger';
import { parseSnsEvent } from './event';

/**
 * snsNotifier: the function subscriber of the notifications topic. Reports each notification as
 * one structured log line (CloudWatch metric filters and alarms key on `severity`). A malformed
 * message is logged as an error with its id; retrying it could never succeed.
 */
export const handler = middy(async (event: unknown) => {
  const received = parseSnsEvent(event);
  for (const { messageId, topicArn, subject, notification, error } of received) {
    if (error) {
      logger.error('Malformed notification', { messageId, topicArn, error, issues: error.issues });
      continue;
    }
    logger.info('Notification received', { messageId, topicArn, subject, severity: notification?.severity, notification });
  }
  return { received: received.filter((r) => r.notification).length, malformed: received.filter((r) => r.error).length };
}).use(injectLambdaContext(logger));
