import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import type { z } from 'zod';
import { describeIssues, InvalidEventError } from '../shared/errors';
import { decodeS3EventKey } from './copy-object';

export type S3Event = z.infer<typeof S3Schema>;

export interface CreatedObject {
  bucket: string;
  /** Decoded key, as stored. */
  key: string;
  versionId?: string;
  eventName: string;
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
  }));
}
