import { copySettingsFrom } from '../domain/copying/copy-settings';
import schedulesFile from '../../config/schedules.json';
import { loadSchedulerConfig } from '../domain/scheduling/schedules';
import { loadConfig } from '../platform/config';
import { Environment } from '../platform/environment';
import * as z from '../platform/zod';

const env = loadConfig(
  z.pick(Environment, {
    DEST_BUCKET: true,
    NOTIFICATIONS_TOPIC_ARN: true,
    SCHEDULE_TAG_KEY: true,
    MAX_RECEIVE_COUNT: true,
    DEST_PREFIX: true,
    COPY_MULTIPART_THRESHOLD: true,
    COPY_PART_SIZE: true,
    COPY_PART_CONCURRENCY: true,
    DEST_SSE: true,
    DEST_SSE_KMS_KEY_ID: true,
    DEST_STORAGE_CLASS: true,
  }),
);

export const config = {
  copy: copySettingsFrom(env),
  notificationsTopicArn: env.NOTIFICATIONS_TOPIC_ARN,
  maxReceiveCount: env.MAX_RECEIVE_COUNT,
  scheduleTagKey: env.SCHEDULE_TAG_KEY,
  // The schedule-instances job runs the scheduler's domain code with the scheduler's schedules.
  scheduler: loadSchedulerConfig(schedulesFile),
};
