import type { HeadObjectCommandOutput, ServerSideEncryption, StorageClass } from '@aws-sdk/client-s3';
import { ConfigurationError } from '../../platform/errors';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
/** S3's limits for a multipart upload: parts of 5 MiB to 5 GiB (the last may be smaller), at most 10,000. */
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 5 * GiB;
export const MAX_PARTS = 10_000;
/** The largest object S3 stores, and the largest CopyObject copies. */
export const MAX_OBJECT_SIZE = 5 * 1024 * GiB;
export const MAX_COPY_OBJECT_SIZE = 5 * GiB;

/** How objects are copied: where to, how, and how many at once. */
export interface CopySettings {
  destinationBucket: string;
  /** Prepended to the source key ('' for the same key). */
  destinationPrefix: string;
  /** Objects larger than this (bytes) are copied part by part. */
  multipartThreshold: number;
  partSize: number;
  partConcurrency: number;
  encryption?: { algorithm: ServerSideEncryption; kmsKeyId?: string };
  storageClass?: StorageClass;
}

/** The copy variables of `Environment` (handlers/platform/environment.ts), once validated. */
export interface CopyEnvironment {
  DEST_BUCKET: string;
  DEST_PREFIX: string;
  COPY_MULTIPART_THRESHOLD: number;
  COPY_PART_SIZE: number;
  COPY_PART_CONCURRENCY: number;
  DEST_SSE: '' | 'AES256' | 'aws:kms';
  DEST_SSE_KMS_KEY_ID: string;
  DEST_STORAGE_CLASS: string;
}

/** Settings from the validated environment; a KMS key without `aws:kms` is a configuration error. */
export function copySettingsFrom(env: CopyEnvironment): CopySettings {
  if (env.DEST_SSE_KMS_KEY_ID && env.DEST_SSE !== 'aws:kms') {
    throw new ConfigurationError('Invalid configuration: DEST_SSE_KMS_KEY_ID is set but DEST_SSE is not aws:kms', ['DEST_SSE_KMS_KEY_ID', 'DEST_SSE']);
  }
  return {
    destinationBucket: env.DEST_BUCKET,
    destinationPrefix: env.DEST_PREFIX,
    multipartThreshold: env.COPY_MULTIPART_THRESHOLD,
    partSize: env.COPY_PART_SIZE,
    partConcurrency: env.COPY_PART_CONCURRENCY,
    ...(env.DEST_SSE
      ? { encryption: { algorithm: env.DEST_SSE as ServerSideEncryption, ...(env.DEST_SSE_KMS_KEY_ID ? { kmsKeyId: env.DEST_SSE_KMS_KEY_ID } : {}) } }
      : {}),
    ...(env.DEST_STORAGE_CLASS ? { storageClass: env.DEST_STORAGE_CLASS as StorageClass } : {}),
  };
}

/**
 * Refuses a configuration where a copy would trigger the copier again. A copy of `key` is written
 * to DEST_PREFIX + key; the trigger fires for keys starting with SOURCE_PREFIX (and ending with
 * SOURCE_SUFFIX, which a copy always does, as its key ends as the source key). So in one bucket it
 * loops exactly when DEST_PREFIX + SOURCE_PREFIX starts with SOURCE_PREFIX, e.g. no prefixes, the
 * same prefix, `in/` copied to `in/copies/`, or any source prefix copied under no prefix.
 */
export function assertNoCopyLoop(source: { bucket: string; prefix: string }, destination: { bucket: string; prefix: string }): void {
  if (source.bucket !== destination.bucket) return;
  if (!(destination.prefix + source.prefix).startsWith(source.prefix)) return;
  throw new ConfigurationError(
    `Invalid configuration: SOURCE_BUCKET and DEST_BUCKET are both ${source.bucket} and DEST_PREFIX '${destination.prefix}' puts copies under SOURCE_PREFIX '${source.prefix}': every copy would trigger the copier again. Use another bucket or a DEST_PREFIX outside SOURCE_PREFIX.`,
    ['SOURCE_BUCKET', 'DEST_BUCKET', 'SOURCE_PREFIX', 'DEST_PREFIX'],
  );
}

/**
 * The part size for an object: the configured size, raised (to a whole MiB) when the object would
 * need more than 10,000 parts, so anything up to 5 TiB fits.
 */
export function partSizeFor(objectSize: number, configured: number): number {
  const fitting = Math.ceil(Math.ceil(objectSize / MAX_PARTS) / MiB) * MiB;
  return Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, configured, fitting));
}

/** The byte ranges (`bytes=first-last`, inclusive) of the parts of an object. */
export function partRanges(objectSize: number, partSize: number): { partNumber: number; range: string; size: number }[] {
  const parts: { partNumber: number; range: string; size: number }[] = [];
  for (let start = 0, partNumber = 1; start < objectSize; start += partSize, partNumber++) {
    const end = Math.min(start + partSize, objectSize) - 1;
    parts.push({ partNumber, range: `bytes=${start}-${end}`, size: end - start + 1 });
  }
  return parts;
}

/** What the copy carries over from the source object besides bytes and tags. */
export function preservedHeaders(head: HeadObjectCommandOutput) {
  return {
    ContentType: head.ContentType,
    CacheControl: head.CacheControl,
    ContentDisposition: head.ContentDisposition,
    ContentEncoding: head.ContentEncoding,
    ContentLanguage: head.ContentLanguage,
    Expires: head.Expires,
    WebsiteRedirectLocation: head.WebsiteRedirectLocation,
  };
}

/** The destination settings every write of the copy carries (encryption, storage class). */
export function destinationSettings(settings: CopySettings) {
  return {
    ServerSideEncryption: settings.encryption?.algorithm,
    SSEKMSKeyId: settings.encryption?.kmsKeyId,
    StorageClass: settings.storageClass,
  };
}

