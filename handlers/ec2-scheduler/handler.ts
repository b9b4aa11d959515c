// First, so that even an error at start-up names our .ts files: platform/stack-traces.ts.
import '../platform/stack-traces';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { handleSchedulerRequest } from '../domain/scheduling/scheduler';
import { ec2Client } from '../platform/clients/ec2';
import { logger } from '../platform/logger';
import { config } from './config';
import { parseSchedulerEvent } from './event';

/**
 * ec2Scheduler: every few minutes brings the scheduled instances to the state their schedules want
 * (reconcile); on demand starts or stops what an event selects. (Unattached EBS volumes are the
 * retire-volumes state machine's: handlers/volume-retirement.)
 */
export const handler = middy(async (event: unknown) =>
  handleSchedulerRequest(
    {
      ec2: ec2Client,
      // Loaded by the first run that announces something (a chunk of its own in the bundle).
      sns: () => import('../platform/clients/sns').then((module) => module.snsClient),
      notificationsTopicArn: config.notificationsTopicArn,
      config: config.scheduler,
      scheduleTagKey: config.scheduleTagKey,
      now: () => new Date(),
    },
    parseSchedulerEvent(event),
  ),
).use(injectLambdaContext(logger));
