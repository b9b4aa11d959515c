import schedulesFile from '../../config/schedules.json';
import { loadSchedulerConfig } from '../domain/scheduling/schedules';
import { loadConfig } from '../platform/config';
import { Environment } from '../platform/environment';
import * as z from '../platform/zod';

const env = loadConfig(z.pick(Environment, { SCHEDULE_TAG_KEY: true, NOTIFICATIONS_TOPIC_ARN: true }));

/** Read and validated at start-up: a bad schedule fails the cold start, naming schedule and field. */
export const config = {
  scheduleTagKey: env.SCHEDULE_TAG_KEY,
  notificationsTopicArn: env.NOTIFICATIONS_TOPIC_ARN,
  scheduler: loadSchedulerConfig(schedulesFile),
};
