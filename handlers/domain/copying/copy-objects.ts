import type { S3Client } from '@aws-sdk/client-s3';
import { settleConcurrently } from '../../platform/concurrency';
import { logger } from '../../platform/logger';
import type { NotificationDraft } from '../notifications/notification';
import { notificationId } from '../notifications/notification';
import { copyObject, SourceMissingError } from './copy-object';
import type { CopySettings } from './copy-settings';

/** An object to copy, as an S3 event names it. */
export interface ObjectToCopy {
  bucket: string;
  key: string;
  versionId?: string;
  /** With bucket, key and version it identifies the event, so redeliveries announce under one id. */
  sequencer?: string;
}

export type CopyOutcome =
  | { key: string; outcome: 'copied' | 'skipped' }
  /** A newer version of the source exists: its own event copies it; nothing announced. */
  | { key: string; outcome: 'superseded' }
  /** The source was deleted before the copy: announced as copy-failed, not retried. */
  | { key: string; outcome: 'missing' }
  /** Failed (or its announcement did): the invocation must fail so it is retried. */
  | { key: string; outcome: 'failed'; error: Error };

export interface CopyObjectsOptions {
  s3: S3Client;
  settings: CopySettings;
  /** Objects copied at once. */
  concurrency: number;
  /** Publishes a notification; false when it could not. */
  announce: (draft: NotificationDraft) => Promise<boolean>;
}

/**
 * Copies the objects of one event, `concurrency` at a time; one failing does not stop the others.
 * Each is announced: object-copied (also when a redelivery finds the copy already made, under the
 * same id, so a lost announcement is made up for) or copy-failed with the reason.
 */
export async function copyObjects(objects: readonly ObjectToCopy[], options: CopyObjectsOptions): Promise<CopyOutcome[]> {
  const settled = await settleConcurrently(objects, options.concurrency, (object) => copyAndAnnounce(object, options));
  return settled.map((result, index) =>
    result.status === 'fulfilled' ? result.value : { key: objects[index]?.key ?? '', outcome: 'failed', error: result.reason as Error },
  );
}

/** The copy-failed notification of an object that could not be copied, with the reason. */
export function copyFailedDraft(object: ObjectToCopy, destinationBucket: string, error: Error): NotificationDraft {
  return {
    type: 'copy-failed',
    id: notificationId('copy-failed', object.bucket, object.key, object.versionId, object.sequencer),
    sourceBucket: object.bucket,
    destinationBucket,
    key: object.key,
    reason: (error.message || error.name).slice(0, 2000),
  };
}

async function copyAndAnnounce(object: ObjectToCopy, { s3, settings, announce }: CopyObjectsOptions): Promise<CopyOutcome> {
  const log = { bucket: object.bucket, key: object.key, versionId: object.versionId };
  try {
    const result = await copyObject(s3, { sourceBucket: object.bucket, key: object.key, versionId: object.versionId, onlyIfCurrent: true }, settings);
    const messages = { copied: 'Object copied', skipped: 'Object already copied: skipped', superseded: 'A newer version exists: not copied' };
    logger.info(messages[result.status], { ...log, ...result });
    if (result.status === 'superseded') return { key: object.key, outcome: 'superseded' };
    const announced = await announce({
      type: 'object-copied',
      id: notificationId('object-copied', object.bucket, object.key, object.versionId, object.sequencer),
      sourceBucket: object.bucket,
      destinationBucket: settings.destinationBucket,
      key: object.key,
      ...(result.destinationKey !== object.key ? { destinationKey: result.destinationKey } : {}),
      versionId: object.versionId,
      eTag: result.eTag,
    });
    if (!announced) return { key: object.key, outcome: 'failed', error: new Error('the object-copied notification could not be published') };
    return { key: object.key, outcome: result.status };
  } catch (caught) {
    const error = caught as Error;
    const missing = error instanceof SourceMissingError;
    if (missing) logger.warn('Source object missing: not copied, not retried', { ...log, error });
    else logger.error('Object copy failed', { ...log, error });
    await announce(copyFailedDraft(object, settings.destinationBucket, error));
    return missing ? { key: object.key, outcome: 'missing' } : { key: object.key, outcome: 'failed', error };
  }
}
