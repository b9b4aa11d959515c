import { CopyObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { WorkerError } from '../../platform/errors';
import { type CopySettings, destinationSettings, preservedHeaders } from './copy-settings';
import { multipartCopy } from './multipart-copy';

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

/** The source object is gone (deleted before the copy ran): retrying will not bring it back. */
export class SourceMissingError extends WorkerError {
  override readonly name = 'SourceMissingError';
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly versionId?: string,
  ) {
    super(`The source object no longer exists: s3://${bucket}/${key}${versionId ? ` (version ${versionId})` : ''}`);
  }
}

export interface CopyRequest {
  sourceBucket: string;
  /** The decoded key (as stored in S3). */
  key: string;
  /** Copy this version when the source bucket is versioned. */
  versionId?: string;
  /**
   * The version was reported created (an S3 event): copy it only while it is the current version.
   * An event delivered late, after a newer version (already copied by its own event), must not put
   * the older one back. Without this, the named version is copied whatever is current (a job).
   */
  onlyIfCurrent?: boolean;
}

export interface CopyResult {
  /**
   * `skipped`: the destination already holds this source object (a redelivery);
   * `superseded`: a newer version of the source exists, and its own event copies it.
   */
  status: 'copied' | 'skipped' | 'superseded';
  method: 'copy-object' | 'multipart' | 'none';
  destinationBucket: string;
  destinationKey: string;
  size: number;
  eTag?: string;
  parts?: number;
}

/**
 * Metadata the copier adds to each copy: which source object (ETag, and version id or last
 * modification) it holds, so a redelivered event finds the copy done and does not write it again.
 */
export const SOURCE_ETAG_METADATA = 'copier-source-etag';
export const SOURCE_VERSION_METADATA = 'copier-source-version';

/** The source's identity as recorded on its copy. */
function sourceIdentity(head: HeadObjectCommandOutput): Record<string, string> {
  return {
    [SOURCE_ETAG_METADATA]: head.ETag ?? '',
    [SOURCE_VERSION_METADATA]: head.VersionId && head.VersionId !== 'null' ? head.VersionId : `modified:${head.LastModified?.toISOString() ?? ''}`,
  };
}

const isNotFound = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchVersion' || $metadata?.httpStatusCode === 404;
};

async function headOrUndefined(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const isPreconditionFailed = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'PreconditionFailed' || $metadata?.httpStatusCode === 412;
};

/** Is this copy already on the destination (a redelivered event)? */
const holdsCopyOf = (existing: HeadObjectCommandOutput | undefined, identity: Record<string, string>) =>
  existing !== undefined && Object.entries(identity).every(([name, value]) => existing.Metadata?.[name] === value);

/**
 * Copies one object to DEST_PREFIX + key in the destination bucket with its content type, cache
 * control, content disposition/encoding/language, expiry, user metadata and tags: one CopyObject up
 * to the multipart threshold, a multipart copy above it. Idempotent: when the destination already
 * holds this very source object (same ETag and version), nothing is written.
 * Below the threshold the usual case, a key the destination does not hold yet, costs a HeadObject
 * of the source and one CopyObject that only creates (`If-None-Match: *`); only when the key exists
 * (a redelivery, or a source replaced since its last copy) is the destination read to decide.
 * Throws SourceMissingError when the source object does not exist (any more).
 */
export async function copyObject(s3: S3Client, request: CopyRequest, settings: CopySettings): Promise<CopyResult> {
  const destinationKey = settings.destinationPrefix + request.key;
  const pinned = request.onlyIfCurrent ? undefined : request.versionId;
  const source = await headOrUndefined(s3, request.sourceBucket, request.key, pinned);
  if (!source) throw new SourceMissingError(request.sourceBucket, request.key, request.versionId);
  const identity = sourceIdentity(source);
  const size = source.ContentLength ?? 0;
  const where = { destinationBucket: settings.destinationBucket, destinationKey, size };
  if (request.versionId && request.onlyIfCurrent && source.VersionId !== request.versionId) {
    return { status: 'superseded', method: 'none', ...where };
  }
  const copySource = copySourceOf(request.sourceBucket, request.key, request.versionId);
  const metadata = { ...source.Metadata, ...identity };
  const copy = async (onlyIfNew: boolean): Promise<CopyResult> => {
    const output = await s3.send(
      new CopyObjectCommand({
        Bucket: settings.destinationBucket,
        Key: destinationKey,
        CopySource: copySource,
        // Exactly the object that was read above: its metadata goes with its bytes.
        CopySourceIfMatch: source.ETag,
        ...(onlyIfNew ? { IfNoneMatch: '*' } : {}),
        // REPLACE to record the source's identity; the source's headers are given again.
        MetadataDirective: 'REPLACE',
        ...preservedHeaders(source),
        Metadata: metadata,
        TaggingDirective: 'COPY',
        ...destinationSettings(settings),
      }),
    );
    return { status: 'copied', method: 'copy-object', ...where, eTag: output.CopyObjectResult?.ETag };
  };
  try {
    if (size > settings.multipartThreshold) {
      const existing = await headOrUndefined(s3, settings.destinationBucket, destinationKey);
      if (holdsCopyOf(existing, identity)) return { status: 'skipped', method: 'none', ...where, eTag: existing?.ETag };
      const { eTag, parts } = await multipartCopy(s3, { ...request, copySource, destinationKey, size, head: source, metadata }, settings);
      return { status: 'copied', method: 'multipart', ...where, eTag, parts };
    }
    try {
      return await copy(true);
    } catch (error) {
      // 412: the key exists (or the source changed since it was read: then the copy below fails too).
      if (!isPreconditionFailed(error)) throw error;
    }
    const existing = await headOrUndefined(s3, settings.destinationBucket, destinationKey);
    if (holdsCopyOf(existing, identity)) return { status: 'skipped', method: 'none', ...where, eTag: existing?.ETag };
    return await copy(false);
  } catch (error) {
    if (isNotFound(error)) throw new SourceMissingError(request.sourceBucket, request.key, request.versionId);
    throw error;
  }
}
