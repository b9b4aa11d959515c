import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { copyObject } from '../../../handlers/domain/copying/copy-object';
import { assertNoCopyLoop, type CopySettings, MAX_OBJECT_SIZE, MAX_PARTS, MiB, MIN_PART_SIZE, partRanges, partSizeFor } from '../../../handlers/domain/copying/copy-settings';
import { taggingHeader } from '../../../handlers/domain/copying/multipart-copy';
import { ConfigurationError } from '../../../handlers/platform/errors';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'us-east-1' });
const settings: CopySettings = { destinationBucket: 'dest', destinationPrefix: '', multipartThreshold: 8 * MiB, partSize: 5 * MiB, partConcurrency: 2 };
const SIZE = 12 * MiB + 3;

beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(HeadObjectCommand, { Bucket: 'source' }).resolves({ ContentLength: SIZE, ETag: '"src-3"', VersionId: 'v1', ContentType: 'video/mp4', CacheControl: 'max-age=1', Metadata: { camera: 'a' } });
  s3Mock.on(HeadObjectCommand, { Bucket: 'dest' }).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
  s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'project', Value: 'a b&c' }, { Key: 'x=y', Value: '中' }] });
  s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
  s3Mock.on(UploadPartCopyCommand).callsFake(async (input: { PartNumber: number }) => ({ CopyPartResult: { ETag: `"part-${input.PartNumber}"` } }));
  s3Mock.on(CompleteMultipartUploadCommand).resolves({ ETag: '"done-3"' });
  s3Mock.on(ListPartsCommand).resolves({ Parts: [] });
});

describe('copyObject above the multipart threshold', () => {
  it('creates the upload with the source\'s headers, metadata and tags, copies each byte range of the version, and completes in part order', async () => {
    const result = await copyObject(s3, { sourceBucket: 'source', key: 'clips/a b.mp4', versionId: 'v1' }, settings);

    expect(result).toEqual(expect.objectContaining({ status: 'copied', method: 'multipart', parts: 3, eTag: '"done-3"' }));
    expect(s3Mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(s3Mock.commandCalls(GetObjectTaggingCommand)[0]?.args[0].input).toEqual({ Bucket: 'source', Key: 'clips/a b.mp4', VersionId: 'v1' });
    expect(s3Mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toEqual(
      expect.objectContaining({
        Bucket: 'dest',
        Key: 'clips/a b.mp4',
        ContentType: 'video/mp4',
        CacheControl: 'max-age=1',
        Metadata: { camera: 'a', 'copier-source-etag': '"src-3"', 'copier-source-version': 'v1' },
        Tagging: 'project=a%20b%26c&x%3Dy=%E4%B8%AD',
      }),
    );
    const parts = s3Mock.commandCalls(UploadPartCopyCommand).map((call) => call.args[0].input);
    expect(parts.map(({ PartNumber, CopySourceRange }) => [PartNumber, CopySourceRange]).sort()).toEqual([
      [1, 'bytes=0-5242879'],
      [2, 'bytes=5242880-10485759'],
      [3, `bytes=10485760-${SIZE - 1}`],
    ]);
    expect(new Set(parts.map(({ CopySource, CopySourceIfMatch, UploadId }) => `${CopySource} ${CopySourceIfMatch} ${UploadId}`))).toEqual(new Set(['source/clips/a%20b.mp4?versionId=v1 "src-3" upload-1']));
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input.MultipartUpload?.Parts).toEqual([
      { PartNumber: 1, ETag: '"part-1"' },
      { PartNumber: 2, ETag: '"part-2"' },
      { PartNumber: 3, ETag: '"part-3"' },
    ]);
  });

  it('copies at most partConcurrency parts at once', async () => {
    let inFlight = 0;
    let most = 0;
    s3Mock.on(UploadPartCopyCommand).callsFake(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { CopyPartResult: { ETag: '"p"' } };
    });

    await copyObject(s3, { sourceBucket: 'source', key: 'big.bin' }, { ...settings, partConcurrency: 2 });

    expect(most).toBe(2);
  });

  it('aborts the upload when a part fails, checks no part is left, and throws the part\'s error', async () => {
    s3Mock.on(UploadPartCopyCommand, { PartNumber: 2 }).rejects(Object.assign(new Error('The requested range is not satisfiable'), { name: 'InvalidRange' }));

    await expect(copyObject(s3, { sourceBucket: 'source', key: 'big.bin' }, settings)).rejects.toMatchObject({ name: 'InvalidRange' });

    expect(s3Mock.commandCalls(AbortMultipartUploadCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: 'dest', Key: 'big.bin', UploadId: 'upload-1' }]);
    expect(s3Mock.commandCalls(ListPartsCommand)).toHaveLength(1);
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('aborts again when parts are still listed after the first abort', async () => {
    s3Mock.on(CompleteMultipartUploadCommand).rejects(Object.assign(new Error('Your proposed upload is smaller than the minimum allowed size'), { name: 'EntityTooSmall' }));
    s3Mock.on(ListPartsCommand).resolvesOnce({ Parts: [{ PartNumber: 3 }] }).rejects(Object.assign(new Error('gone'), { name: 'NoSuchUpload' }));

    await expect(copyObject(s3, { sourceBucket: 'source', key: 'big.bin' }, settings)).rejects.toMatchObject({ name: 'EntityTooSmall' });

    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(2);
  });

  it('uses one CopyObject at the threshold itself', async () => {
    s3Mock.on(HeadObjectCommand, { Bucket: 'source' }).resolves({ ContentLength: 8 * MiB, ETag: '"e"' });
    s3Mock.on(CopyObjectCommand).resolves({});

    const result = await copyObject(s3, { sourceBucket: 'source', key: 'edge.bin' }, settings);

    expect(result.method).toBe('copy-object');
    expect(s3Mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });
});

describe('part sizes', () => {
  it('keeps the configured part size while the object fits in 10,000 parts', () => {
    expect(partSizeFor(100 * MiB, 8 * MiB)).toBe(8 * MiB);
  });

  it('raises the part size so a 5 TiB object fits in 10,000 parts', () => {
    const size = partSizeFor(MAX_OBJECT_SIZE, 64 * MiB);

    expect(Math.ceil(MAX_OBJECT_SIZE / size)).toBeLessThanOrEqual(MAX_PARTS);
    expect(size % MiB).toBe(0);
  });

  it('never goes below the 5 MiB S3 minimum', () => {
    expect(partSizeFor(6 * MiB, 1)).toBe(MIN_PART_SIZE);
  });

  it('covers every byte exactly once, the last part taking the rest', () => {
    const ranges = partRanges(11, 4);

    expect(ranges).toEqual([
      { partNumber: 1, range: 'bytes=0-3', size: 4 },
      { partNumber: 2, range: 'bytes=4-7', size: 4 },
      { partNumber: 3, range: 'bytes=8-10', size: 3 },
    ]);
  });
});

describe('taggingHeader', () => {
  it('gives no header for no tags', () => {
    expect(taggingHeader([])).toBeUndefined();
  });
});

describe('assertNoCopyLoop', () => {
  it.each([
    ['other buckets', { bucket: 'a', prefix: '' }, { bucket: 'b', prefix: '' }],
    ['copies outside the source prefix', { bucket: 'a', prefix: 'in/' }, { bucket: 'a', prefix: 'out/' }],
    ['copies under a prefix the source prefix does not match', { bucket: 'a', prefix: 'a/in/' }, { bucket: 'a', prefix: 'a/' }],
  ])('accepts %s', (_label, source, destination) => {
    expect(() => assertNoCopyLoop(source, destination)).not.toThrow();
  });

  it.each([
    ['one bucket, no prefixes', { bucket: 'a', prefix: '' }, { bucket: 'a', prefix: '' }],
    ['copies under the source prefix', { bucket: 'a', prefix: 'in/' }, { bucket: 'a', prefix: 'in/copies/' }],
    ['the same prefix', { bucket: 'a', prefix: 'in/' }, { bucket: 'a', prefix: 'in/' }],
    ['a source prefix that repeats the destination prefix', { bucket: 'a', prefix: 'aa' }, { bucket: 'a', prefix: 'a' }],
  ])('refuses %s', (_label, source, destination) => {
    expect(() => assertNoCopyLoop(source, destination)).toThrow(ConfigurationError);
  });
});
