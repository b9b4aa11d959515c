/**
 * UploadPartCopy byte ranges as the Amazon S3 API Reference documents them
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html), against the local AWS:
 * the part holds exactly the range of the named version, and a range outside the source is refused.
 */
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListPartsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { type ConformanceAws, rejection, startConformanceAws, unique } from './local-aws';

let aws: ConformanceAws;
let bucket: string;
beforeAll(async () => {
  aws = await startConformanceAws();
  bucket = unique('partcopy').toLowerCase();
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(async () => {
  await aws?.stop();
});

describe('UploadPartCopy', () => {
  it('copies exactly the range of the version it names, not of the current object', async () => {
    await aws.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const { VersionId } = await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'versioned', Body: '0123456789abcdef' }));
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'versioned', Body: 'ZYXWVUTSRQPONMLK' }));
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'part' }));

    await aws.s3.send(
      new UploadPartCopyCommand({ Bucket: bucket, Key: 'part', UploadId, PartNumber: 1, CopySource: `${bucket}/versioned?versionId=${VersionId}`, CopySourceRange: 'bytes=3-9' }),
    );

    const { Parts = [] } = await aws.s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'part', UploadId }));
    expect(Parts.map(({ PartNumber, Size }) => ({ PartNumber, Size }))).toEqual([{ PartNumber: 1, Size: 7 }]);
    const current = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'versioned', VersionId, Range: 'bytes=3-9' }));
    expect(await current.Body?.transformToString()).toBe('3456789');
  });

  it.each([
    ['ends past the last byte', 'bytes=10-20'],
    ['starts past the last byte', 'bytes=16-17'],
  ])('refuses a range that %s with 400 InvalidArgument', async (_label, range) => {
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sixteen', Body: '0123456789abcdef' }));
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'bad-range' }));

    const error = await rejection(aws.s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'bad-range', UploadId, PartNumber: 1, CopySource: `${bucket}/sixteen`, CopySourceRange: range })));

    expect({ name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }).toEqual({
      name: 'InvalidArgument',
      status: 400,
      message: 'Range specified is not valid for source object of size: 16',
    });
  });

  it.each([
    ['no bytes= unit', '0-2'],
    ['no last byte', 'bytes=0'],
    ['a first byte that is no number', 'bytes=hello-'],
    ['no last byte after the dash', 'bytes=5-'],
    ['two ranges', 'bytes=0-1,3-4'],
  ])('refuses a malformed x-amz-copy-source-range (%s) with 400 InvalidArgument and adds no part', async (_label, range) => {
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sixteen', Body: '0123456789abcdef' }));
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'malformed-range' }));

    const error = await rejection(
      aws.s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: 'malformed-range', UploadId, PartNumber: 1, CopySource: `${bucket}/sixteen`, CopySourceRange: range })),
    );

    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'InvalidArgument', status: 400 });
    expect((await aws.s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'malformed-range', UploadId }))).Parts ?? []).toEqual([]);
  });

  it('x-amz-copy-source-if-match with another ETag answers 412 PreconditionFailed and adds no part; with the source ETag it copies', async () => {
    const { ETag } = await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'pinned', Body: '0123456789abcdef' }));
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'conditional' }));
    const part = { Bucket: bucket, Key: 'conditional', UploadId, PartNumber: 1, CopySource: `${bucket}/pinned`, CopySourceRange: 'bytes=0-3' };

    const error = await rejection(aws.s3.send(new UploadPartCopyCommand({ ...part, CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect((await aws.s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'conditional', UploadId }))).Parts ?? []).toEqual([]);

    await aws.s3.send(new UploadPartCopyCommand({ ...part, CopySourceIfMatch: ETag }));
    const { Parts = [] } = await aws.s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'conditional', UploadId }));
    expect(Parts.map(({ PartNumber, Size }) => ({ PartNumber, Size }))).toEqual([{ PartNumber: 1, Size: 4 }]);
  });

  it('x-amz-copy-source-if-unmodified-since before the source was written answers 412 PreconditionFailed', async () => {
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'dated', Body: '0123456789abcdef' }));
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'dated-copy' }));
    const error = await rejection(
      aws.s3.send(
        new UploadPartCopyCommand({ Bucket: bucket, Key: 'dated-copy', UploadId, PartNumber: 1, CopySource: `${bucket}/dated`, CopySourceIfUnmodifiedSince: new Date('2000-01-01T00:00:00Z') }),
      ),
    );
    expect(error.$metadata?.httpStatusCode).toBe(412);
  });
});
