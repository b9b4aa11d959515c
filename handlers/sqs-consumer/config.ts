import { z } from 'zod';
import { bucketName, loadConfig, requiredString } from '../shared/config';

const env = loadConfig(
  z.object({
    DEST_BUCKET: bucketName,
    NOTIFICATIONS_TOPIC_ARN: requiredString.regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN'),
    SCHEDULE_TAG_KEY: requiredString.default('Schedule'),
    SCHEDULE_TAG_VALUE: requiredString,
  }),
);

export const config = {
  destinationBucket: env.DEST_BUCKET,
  notificationsTopicArn: env.NOTIFICATIONS_TOPIC_ARN,
  scheduleTag: { key: env.SCHEDULE_TAG_KEY, value: env.SCHEDULE_TAG_VALUE },
};
