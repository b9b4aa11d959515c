import { logger } from '../../platform/logger';
import * as z from '../../platform/zod';
import { defineJob } from './job';

/**
 * Copy an S3 object (key as stored, not URL-encoded) to the destination bucket, exactly as s3Copier
 * does (metadata and tags kept, multipart above the threshold). Idempotent: when the destination
 * already holds this source object, nothing is written. A missing source is what s3Copier makes of
 * it too: logged, announced as copy-failed and done (`{ status: 'missing' }`), not retried until
 * the dead-letter queue, since no retry brings the object back.
 * The copying code (and the S3 SDK it uses) is imported when the job runs: see `JobContext.clients`.
 */
export const copyObjectJob = defineJob({
  type: 'copy-object',
  schema: z.object({
    type: z.literal('copy-object'),
    bucket: z.string().check(z.minLength(3), z.maxLength(63)),
    key: z.string().check(z.minLength(1), z.maxLength(1024)),
    versionId: z.optional(z.string().check(z.minLength(1))),
  }),
  async run(job, context) {
    // Both loaded at once: on a cold start each is a few files read one after another.
    const [{ copyObject, SourceMissingError }, s3] = await Promise.all([import('../copying/copy-object'), context.clients.s3()]);
    try {
      return await copyObject(s3, { sourceBucket: job.bucket, key: job.key, versionId: job.versionId }, context.config.copy);
    } catch (error) {
      if (!(error instanceof SourceMissingError)) throw error;
      logger.warn('Source object missing: not copied, not retried', { bucket: job.bucket, key: job.key, versionId: job.versionId, messageId: context.messageId, error });
      // Best effort, as s3Copier's: the job is done either way. The message id stands for the event.
      const [{ announce }, { copyFailedDraft }, sns] = await Promise.all([import('../notifications/announce'), import('../copying/copy-objects'), context.clients.sns()]);
      const object = { bucket: job.bucket, key: job.key, versionId: job.versionId, sequencer: context.messageId };
      await announce(sns, context.config.notificationsTopicArn, copyFailedDraft(object, context.config.copy.destinationBucket, error));
      return { status: 'missing' as const };
    }
  },
});
