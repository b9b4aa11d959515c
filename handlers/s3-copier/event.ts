import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import type { z } from 'zod';
import { describeIssues, InvalidEventError } from '../platform/errors';

/**
 * S3 event notifications carry object keys URL-encoded the way HTML forms are: a space arrives as
 * `+` and non-ASCII letters as percent-escaped UTF-8 (`my file 中.txt` -> `my+file+%E4%B8%AD.txt`).
 * Using the raw key gives 404; this returns the key as stored.
 */
export function decodeS3EventKey(encodedKey: string): string {
  return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
}

export type S3Event = z.infer<typeof S3Schema>;

export interface CreatedObject {
  bucket: string;
  /** Decoded key, as stored. */
  key: string;
  versionId?: string;
  eventName: string;
  /** Orders the events of one key; with the key it identifies this event (redeliveries included). */
  sequencer?: string;
}

/** Validates an S3 notification event and returns the objects it reports, keys decoded. */
export function parseS3Event(event: unknown): CreatedObject[] {
  const result = S3Schema.safeParse(event);
  if (!result.success) {
    throw new InvalidEventError('Not an S3 event notification', describeIssues(result.error.issues));
  }
  return result.data.Records.map((record) => ({
    bucket: record.s3.bucket.name,
    key: decodeS3EventKey(record.s3.object.key),
    versionId: record.s3.object.versionId ?? undefined,
    eventName: record.eventName,
    ...(record.s3.object.sequencer ? { sequencer: record.s3.object.sequencer } : {}),
  }));
}
