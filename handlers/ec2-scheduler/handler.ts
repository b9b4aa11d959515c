import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { ec2Client } from '../platform/clients/ec2';
import { logger } from '../platform/logger';
import { config } from './config';
import { runSchedule } from '../domain/scheduling/run-schedule';
import { parseScheduleEvent } from './event';

/** ec2Scheduler: a start rule starts the tagged instances, a stop rule stops them after hours. */
export const handler = middy(async (event: unknown) => {
  const action = parseScheduleEvent(event);
  const { plan, changes } = await runSchedule(ec2Client, action, {
    key: config.SCHEDULE_TAG_KEY,
    value: config.SCHEDULE_TAG_VALUE,
  });
  return { action, changed: changes.map((change) => change.instanceId), skipped: plan.skipped.length };
}).use(injectLambdaContext(logger));
