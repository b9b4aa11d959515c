import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { s3Client } from '../platform/clients/s3';
import { snsClient } from '../platform/clients/sns';
import { logger } from '../platform/logger';
import { config } from './config';
import { CopyFailedError, copyObject } from '../domain/copying/copy-object';
import { notificationId, type NotificationDraft } from '../domain/notifications/notification';
import { announce } from '../domain/notifications/announce';
import { parseS3Event } from './event';

const announceCopy = (draft: NotificationDraft) => announce(snsClient, config.NOTIFICATIONS_TOPIC_ARN, { source: 's3Copier', ...draft });

/**
 * s3Copier: every object created in the source bucket is copied to DEST_BUCKET under the same key
 * and announced (object-copied / copy-failed, with an id stable across redeliveries of the event);
 * an announcement that cannot be published counts as the record's failure.
 * All records are attempted; if any failed the invocation fails afterwards so S3's asynchronous
 * invocation retries it (copies are idempotent, so the records that worked are harmless to redo).
 */
export const handler = middy(async (event: unknown): Promise<{ copied: number }> => {
  const objects = parseS3Event(event);
  const failures: string[] = [];
  for (const object of objects) {
    logger.appendKeys({ bucket: object.bucket, key: object.key });
    const where = { sourceBucket: object.bucket, destinationBucket: config.DEST_BUCKET, key: object.key };
    const id = (type: string) => notificationId(type, object.bucket, object.key, object.versionId, object.sequencer);
    try {
      const result = await copyObject(s3Client, { ...where, versionId: object.versionId });
      logger.info('Object copied', { destinationBucket: result.destinationBucket, eTag: result.eTag });
      if (!(await announceCopy({ type: 'object-copied', id: id('object-copied'), ...where, versionId: object.versionId, eTag: result.eTag }))) failures.push(object.key);
    } catch (error) {
      logger.error('Object copy failed', { error: error as Error });
      failures.push(object.key);
      await announceCopy({ type: 'copy-failed', id: id('copy-failed'), ...where, reason: ((error as Error).message || (error as Error).name).slice(0, 2000) });
    } finally {
      logger.removeKeys(['bucket', 'key']);
    }
  }
  if (failures.length > 0) throw new CopyFailedError(failures, objects.length);
  return { copied: objects.length };
}).use(injectLambdaContext(logger));
