import { z } from 'zod';
import { copyObject } from '../copying/copy-object';
import { defineJob } from './job';

/**
 * Copy an S3 object (key as stored, not URL-encoded) to the destination bucket, exactly as s3Copier
 * does (metadata and tags kept, multipart above the threshold). Idempotent: when the destination
 * already holds this source object, nothing is written. A missing source fails the job (SourceMissingError).
 */
export const copyObjectJob = defineJob({
  type: 'copy-object',
  schema: z.object({
    type: z.literal('copy-object'),
    bucket: z.string().min(3).max(63),
    key: z.string().min(1).max(1024),
    versionId: z.string().min(1).optional(),
  }),
  async run(job, context) {
    return copyObject(context.clients.s3, { sourceBucket: job.bucket, key: job.key, versionId: job.versionId }, context.config.copy);
  },
});
