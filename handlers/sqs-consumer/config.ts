import { loadConfig } from '../platform/config';
import { Environment } from '../platform/environment';

const env = loadConfig(
  Environment.pick({ DEST_BUCKET: true, NOTIFICATIONS_TOPIC_ARN: true, SCHEDULE_TAG_KEY: true, SCHEDULE_TAG_VALUE: true, MAX_RECEIVE_COUNT: true }),
);

export const config = {
  destinationBucket: env.DEST_BUCKET,
  notificationsTopicArn: env.NOTIFICATIONS_TOPIC_ARN,
  maxReceiveCount: env.MAX_RECEIVE_COUNT,
  scheduleTag: { key: env.SCHEDULE_TAG_KEY, value: env.SCHEDULE_TAG_VALUE },
};
