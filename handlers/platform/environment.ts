import { z } from 'zod';
import { bucketName, requiredString } from './config';

/** An optional variable: unset and empty (a stage parameter left blank) both mean "not given". */
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);


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
  /** Receives after which a failed job moves to its queue's DLQ (the queues' maxReceiveCount). */
  MAX_RECEIVE_COUNT: positiveInt(5),
  /**
   * Where snsNotifier finds its webhooks (a secret): the name of an SSM parameter (SecureString)
   * holding the list, or the list itself (for stages on this machine). At most one is set.
   */
  WEBHOOK_URLS_PARAMETER: optionalString.refine((value) => value === undefined || value.startsWith('/'), 'must be an SSM parameter name starting with /'),
  WEBHOOK_URLS: optionalString,
  /** Per webhook attempt, attempts in all, and the first backoff (it doubles). */
  WEBHOOK_TIMEOUT_MS: positiveInt(5000),
  WEBHOOK_ATTEMPTS: positiveInt(3),
  WEBHOOK_BACKOFF_MS: positiveInt(500),
});
