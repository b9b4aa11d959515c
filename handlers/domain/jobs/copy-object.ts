import * as z from '../../platform/zod';
import { defineJob } from './job';

/**
 * Copy an S3 object (key as stored, not URL-encoded) to the destination bucket, exactly as s3Copier
 * does (metadata and tags kept, multipart above the threshold). Idempotent: when the destination
 * already holds this source object, nothing is written. A missing source fails the job (SourceMissingError).
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
    const [{ copyObject }, s3] = await Promise.all([import('../copying/copy-object'), context.clients.s3()]);
    return copyObject(s3, { sourceBucket: job.bucket, key: job.key, versionId: job.versionId }, context.config.copy);
  },
});
