import { bucketName, requiredString } from './config';
import * as z from './zod';

/** An optional variable: unset and empty (a stage parameter left blank) both mean "not given". */
const optionalString = z.pipe(
  z.optional(z.string().check(z.trim())),
  z.transform((value: string | undefined) => (value === '' ? undefined : value)),
);
/** A whole number of at least `min` (at most `max`), from a variable's text. */
const integer = (min: number | [number, string], max?: number) =>
  z.coerce.number().check(z.int(), typeof min === 'number' ? z.gte(min) : z.gte(min[0], min[1]), ...(max === undefined ? [] : [z.lte(max)]));
/** `true` or `false`. */
const flag = z.pipe(z.enum(['true', 'false']), z.transform((value: 'true' | 'false') => value === 'true'));
const positiveInt = (fallback: number) => z._default(integer(1), fallback);
/** A key prefix or suffix: unset or blank means none (''). */
const keyAffix = z.pipe(z._default(z.string(), ''), z.transform((value: string) => value.trim()));
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;


/**
 * Every environment variable a function of the service reads, declared once. Their values are
 * declared once too, in serverless.yml (`custom`), and given to the functions that need them;
 * each function's `config.ts` picks its own from this schema and loads them at start-up.
 */
export const Environment = z.object({
  /** The bucket objects are copied to. */
  DEST_BUCKET: bucketName,
  /** The bucket s3Copier is triggered by: a record for another bucket is refused. */
  SOURCE_BUCKET: bucketName,
  /** The trigger's key filters (serverless.yml `rules`), checked again by the copier; '' for none. */
  SOURCE_PREFIX: keyAffix,
  SOURCE_SUFFIX: keyAffix,
  /** Prepended to each key in the destination; '' keeps the key as it is. */
  DEST_PREFIX: keyAffix,
  /**
   * Objects up to this size (bytes) are copied with one CopyObject, larger ones with a multipart
   * copy. CopyObject takes at most 5 GiB, so that is the default and the maximum.
   */
  COPY_MULTIPART_THRESHOLD: z._default(integer(1, 5 * GiB), 5 * GiB),
  /** The part size of a multipart copy (raised when an object would need more than 10,000 parts). */
  COPY_PART_SIZE: z._default(integer([5 * MiB, 'must be at least 5 MiB (5242880), the S3 minimum part size'], 5 * GiB), 64 * MiB),
  /** Part copies of one object in flight at once, and objects of one event copied at once. */
  COPY_PART_CONCURRENCY: positiveInt(8),
  COPY_OBJECT_CONCURRENCY: positiveInt(8),
  /** Server-side encryption of the copies: '' (the destination bucket's default), AES256 or aws:kms. */
  DEST_SSE: z._default(z.enum(['', 'AES256', 'aws:kms']), ''),
  /** The KMS key ARN of the copies when DEST_SSE is aws:kms (its role is granted that key); '' for the AWS managed key. */
  DEST_SSE_KMS_KEY_ID: keyAffix.check(z.refine((value) => value === '' || /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(value), 'must be a KMS key ARN')),
  /** The storage class of the copies; '' keeps S3's default (STANDARD). */
  DEST_STORAGE_CLASS: z._default(
    z.enum(['', 'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR']),
    '',
  ),
  /** The topic every worker announces what it did on. */
  NOTIFICATIONS_TOPIC_ARN: requiredString.check(z.regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN')),
  /** The tag that puts an instance under the scheduler; its value names a schedule of config/schedules.json. */
  SCHEDULE_TAG_KEY: z._default(requiredString, 'Schedule'),
  /** The tag that keeps an unattached EBS volume from the volume retirement workflow. */
  VOLUME_KEEP_TAG_KEY: z._default(requiredString, 'Keep'),
  /** Volume retirement: what an execution whose input leaves them out does (a dry run; volumes at least this many days old). */
  VOLUME_RETIREMENT_DRY_RUN: z._default(flag, true),
  VOLUME_AGE_LIMIT_DAYS: z._default(integer(0), 14),
  /** Volume retirement: the first wait for a snapshot, the longest (each wait doubles), and the overall limit. */
  SNAPSHOT_FIRST_WAIT_SECONDS: positiveInt(15),
  SNAPSHOT_MAX_WAIT_SECONDS: positiveInt(300),
  SNAPSHOT_TIMEOUT_SECONDS: positiveInt(4 * 3600),
  /** Receives after which a failed job moves to its queue's DLQ (the queues' maxReceiveCount). */
  MAX_RECEIVE_COUNT: positiveInt(5),
  /**
   * Where snsNotifier finds its webhooks (a secret): the name of an SSM parameter (SecureString)
   * holding the list, or the list itself (for stages on this machine). At most one is set.
   */
  WEBHOOK_URLS_PARAMETER: optionalString.check(z.refine((value) => value === undefined || value.startsWith('/'), 'must be an SSM parameter name starting with /')),
  WEBHOOK_URLS: optionalString,
  /** Per webhook attempt, attempts in all, and the first backoff (it doubles). */
  WEBHOOK_TIMEOUT_MS: positiveInt(5000),
  WEBHOOK_ATTEMPTS: positiveInt(3),
  WEBHOOK_BACKOFF_MS: positiveInt(500),
});
