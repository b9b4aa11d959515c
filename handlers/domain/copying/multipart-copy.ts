import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  type HeadObjectCommandOutput,
  ListPartsCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { allConcurrently } from '../../platform/concurrency';
import { logger } from '../../platform/logger';
import { type CopySettings, destinationSettings, partRanges, partSizeFor, preservedHeaders } from './copy-settings';

export interface MultipartCopyRequest {
  sourceBucket: string;
  key: string;
  versionId?: string;
  /** CopySource of the object (bucket/key?versionId, encoded). */
  copySource: string;
  destinationKey: string;
  size: number;
  /** HeadObject of the source: its headers go to the copy, its ETag pins every part to it. */
  head: HeadObjectCommandOutput;
  /** The copy's user metadata. */
  metadata: Record<string, string>;
}

/** A tag set as the `Tagging` header wants it: URL-encoded `key=value` pairs joined by `&`. */
export function taggingHeader(tags: readonly { Key?: string; Value?: string }[]): string | undefined {
  if (tags.length === 0) return undefined;
  return tags.map((tag) => `${encodeURIComponent(tag.Key ?? '')}=${encodeURIComponent(tag.Value ?? '')}`).join('&');
}

/**
 * Copies an object part by part with UploadPartCopy byte ranges, `partConcurrency` parts at once.
 * A multipart copy carries nothing over by itself: the headers, metadata and tags of the source are
 * set on CreateMultipartUpload. On any failure the upload is aborted, so no parts stay billed.
 */
export async function multipartCopy(s3: S3Client, request: MultipartCopyRequest, settings: CopySettings): Promise<{ eTag?: string; parts: number }> {
  const { TagSet = [] } = await s3.send(new GetObjectTaggingCommand({ Bucket: request.sourceBucket, Key: request.key, VersionId: request.versionId }));
  const upload = { Bucket: settings.destinationBucket, Key: request.destinationKey };
  const { UploadId } = await s3.send(
    new CreateMultipartUploadCommand({
      ...upload,
      ...preservedHeaders(request.head),
      Metadata: request.metadata,
      Tagging: taggingHeader(TagSet),
      ...destinationSettings(settings),
    }),
  );
  if (!UploadId) throw new Error(`CreateMultipartUpload for ${request.destinationKey} returned no UploadId`);
  const ranges = partRanges(request.size, partSizeFor(request.size, settings.partSize));
  try {
    const parts = await allConcurrently(ranges, settings.partConcurrency, async ({ partNumber, range }) => {
      const { CopyPartResult } = await s3.send(
        new UploadPartCopyCommand({ ...upload, UploadId, PartNumber: partNumber, CopySource: request.copySource, CopySourceRange: range, CopySourceIfMatch: request.head.ETag }),
      );
      return { PartNumber: partNumber, ETag: CopyPartResult?.ETag };
    });
    const output = await s3.send(new CompleteMultipartUploadCommand({ ...upload, UploadId, MultipartUpload: { Parts: parts } }));
    return { eTag: output.ETag, parts: parts.length };
  } catch (error) {
    await abortUpload(s3, upload, UploadId);
    throw error;
  }
}

/**
 * Aborts a multipart upload and checks, as S3's documentation advises, that no part is left (a part
 * copy still in flight may land after an abort); if some are, aborts again. Never throws: the copy's
 * own error is what the caller reports; a failed abort is logged with the upload to clean up.
 */
async function abortUpload(s3: S3Client, upload: { Bucket: string; Key: string }, UploadId: string): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await s3.send(new AbortMultipartUploadCommand({ ...upload, UploadId }));
      const { Parts = [] } = await s3.send(new ListPartsCommand({ ...upload, UploadId }));
      if (Parts.length === 0) return;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchUpload') return;
      logger.warn('Aborting the multipart copy failed', { bucket: upload.Bucket, key: upload.Key, uploadId: UploadId, attempt, error: error as Error });
    }
  }
  logger.error('Multipart copy upload may still hold parts: abort it by hand', { bucket: upload.Bucket, key: upload.Key, uploadId: UploadId });
}
