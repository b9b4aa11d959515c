import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { s3Client } from '../platform/clients/s3';
import { logger } from '../platform/logger';
import { config } from './config';
import { CopyFailedError, copyObject } from '../domain/copying/copy-object';
import { parseS3Event } from './event';

/**
 * s3Copier: every object created in the source bucket is copied to DEST_BUCKET under the same key.
 * All records are attempted; if any failed the invocation fails afterwards so S3's asynchronous
 * invocation retries it (copies are idempotent, so the records that worked are harmless to redo).
 */
export const handler = middy(async (event: unknown): Promise<{ copied: number }> => {
  const objects = parseS3Event(event);
  const failures: string[] = [];
  for (const object of objects) {
    logger.appendKeys({ bucket: object.bucket, key: object.key });
    try {
      const result = await copyObject(s3Client, {
        sourceBucket: object.bucket,
        key: object.key,
        versionId: object.versionId,
        destinationBucket: config.DEST_BUCKET,
      });
      logger.info('Object copied', { destinationBucket: result.destinationBucket, eTag: result.eTag });
    } catch (error) {
      logger.error('Object copy failed', { error: error as Error });
      failures.push(object.key);
    } finally {
      logger.removeKeys(['bucket', 'key']);
    }
  }
  if (failures.length > 0) throw new CopyFailedError(failures, objects.length);
  return { copied: objects.length };
}).use(injectLambdaContext(logger));
