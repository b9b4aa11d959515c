import { CopyObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { WorkerError } from '../../platform/errors';

/** CopyObject's CopySource is `bucket/key`, URL-encoded, with the key's slashes kept. */
export function copySourceOf(bucket: string, key: string, versionId?: string): string {
  const source = `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  return versionId ? `${source}?versionId=${encodeURIComponent(versionId)}` : source;
}

/** Some objects of an S3 event could not be copied; S3's asynchronous invocation retries the event. */
export class CopyFailedError extends WorkerError {
  override readonly name = 'CopyFailedError';
  constructor(
    readonly failedKeys: readonly string[],
    readonly total: number,
  ) {
    super(`Failed to copy ${failedKeys.length} of ${total} objects: ${failedKeys.join(', ')}`);
  }
}

export interface CopyRequest {
  sourceBucket: string;
  /** The decoded key (as stored in S3). */
  key: string;
  destinationBucket: string;
  /** Copy this version when the source bucket is versioned. */
  versionId?: string;
}

export interface CopyResult {
  destinationBucket: string;
  key: string;
  eTag?: string;
}

/**
 * Copies one object to the same key in the destination bucket. Idempotent: copying again writes
 * the same bytes to the same key.
 */
export async function copyObject(s3: S3Client, request: CopyRequest): Promise<CopyResult> {
  const output = await s3.send(
    new CopyObjectCommand({
      Bucket: request.destinationBucket,
      Key: request.key,
      CopySource: copySourceOf(request.sourceBucket, request.key, request.versionId),
    }),
  );
  return { destinationBucket: request.destinationBucket, key: request.key, eTag: output.CopyObjectResult?.ETag };
}
