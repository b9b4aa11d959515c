import { z } from 'zod';
import { bucketName, requiredString } from './config';

/**
 * Every environment variable a function of the service reads, declared once. Their values are
 * declared once too, in serverless.yml (`custom`), and given to the functions that need them;
 * each function's `config.ts` picks its own from this schema and loads them at start-up.
 */
export const Environment = z.object({
  /** The bucket objects are copied to. */
  DEST_BUCKET: bucketName,
  /** The topic every worker announces what it did on. */
  NOTIFICATIONS_TOPIC_ARN: requiredString.regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN'),
  /** The tag that puts an instance under the scheduler; its value names a schedule of config/schedules.json. */
  SCHEDULE_TAG_KEY: requiredString.default('Schedule'),
  /** The tag that keeps an unattached EBS volume from housekeeping's deletion. */
  VOLUME_KEEP_TAG_KEY: requiredString.default('Keep'),
});
