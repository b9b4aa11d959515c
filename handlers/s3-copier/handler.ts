// First, so that even an error at start-up names our .ts files: platform/stack-traces.ts.
import '../platform/stack-traces';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { s3Client } from '../platform/clients/s3';
import { snsClient } from '../platform/clients/sns';
import { logger } from '../platform/logger';
import { config } from './config';
import { CopyFailedError } from '../domain/copying/copy-object';
import { copyObjects } from '../domain/copying/copy-objects';
import type { NotificationDraft } from '../domain/notifications/notification';
import { announce } from '../domain/notifications/announce';
import { parseS3Event } from './event';

const announceCopy = (draft: NotificationDraft) => announce(snsClient, config.notificationsTopicArn, { source: 's3Copier', ...draft });
const { prefix, suffix } = config.source;

/**
 * s3Copier: every object created in the source bucket (within its prefix/suffix) is copied to
 * DEST_BUCKET, `COPY_OBJECT_CONCURRENCY` at a time, and announced. A deleted source is announced
 * and not retried. If any record failed (a refused record, a failed copy or announcement) the
 * invocation fails once all were attempted, so Lambda's asynchronous retry runs (copies already
 * made are skipped) and what still fails lands in the on-failure destination.
 */
export const handler = middy(async (event: unknown) => {
  const { objects, rejected } = parseS3Event(event, config.source.bucket);
  for (const record of rejected) logger.error('S3 event record refused', { ...record });
  const wanted = objects.filter(({ key }) => key.startsWith(prefix) && key.endsWith(suffix));
  if (wanted.length < objects.length) logger.warn('Records outside SOURCE_PREFIX/SOURCE_SUFFIX ignored', { ignored: objects.length - wanted.length });
  const outcomes = await copyObjects(wanted, { s3: s3Client, settings: config.copy, concurrency: config.objectConcurrency, announce: announceCopy });
  const failed = [...rejected.map(({ index }) => `record ${index}`), ...outcomes.filter(({ outcome }) => outcome === 'failed').map(({ key }) => key)];
  if (failed.length > 0) throw new CopyFailedError(failed, rejected.length + objects.length);
  const count = (outcome: string) => outcomes.filter((result) => result.outcome === outcome).length;
  return { copied: count('copied'), skipped: count('skipped') + count('superseded'), missing: count('missing'), ignored: objects.length - wanted.length };
}).use(injectLambdaContext(logger));
