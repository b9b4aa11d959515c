import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { localAwsConfig } from '../../local-aws/config';
import { copyObject } from '../../handlers/domain/copying/copy-object';
import type { CopySettings } from '../../handlers/domain/copying/copy-settings';
import { STAGE } from '../support/global-setup';
import { s3, uniqueId } from '../support/local-aws';

const MiB = 1024 * 1024;

/**
 * The domain's multipart copy against the local S3 directly, in buckets of its own (no trigger),
 * with a failure injected into one part: the part asks for a source ETag that is not the object's,
 * which S3 refuses with 412 PreconditionFailed, as when the source is replaced during the copy.
 */
describe('a multipart copy whose part fails', () => {
  const source = uniqueId('mp-src').toLowerCase();
  const destination = uniqueId('mp-dst').toLowerCase();
  const key = 'large/clip 1.bin';
  const body = Buffer.alloc(16 * MiB, 7);
  const settings: CopySettings = { destinationBucket: destination, destinationPrefix: '', multipartThreshold: 5 * MiB, partSize: 5 * MiB, partConcurrency: 2 };

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: source }));
    await s3.send(new CreateBucketCommand({ Bucket: destination }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: source, Key: key }));
    const parts = [];
    for (let start = 0, partNumber = 1; start < body.length; start += 8 * MiB, partNumber++) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: source, Key: key, UploadId, PartNumber: partNumber, Body: body.subarray(start, start + 8 * MiB) }));
      parts.push({ PartNumber: partNumber, ETag });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: source, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  });

  /** An S3 client of the local AWS whose UploadPartCopy of part `failing` names a wrong source ETag. */
  function clientFailingPart(failing: number): S3Client {
    const config = localAwsConfig(STAGE);
    const client = new S3Client({ region: config.region, credentials: config.credentials, endpoint: config.endpoint, forcePathStyle: true });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { PartNumber?: number; CopySourceIfMatch?: string };
        if (context.commandName === UploadPartCopyCommand.name && input.PartNumber === failing) input.CopySourceIfMatch = '"0123456789abcdef0123456789abcdef"';
        return next(args);
      },
      { step: 'initialize', name: 'failOnePart' },
    );
    return client;
  }

  it('is aborted: the error is the part\'s, no upload stays open and no object is written', async () => {
    const copy = copyObject(clientFailingPart(3), { sourceBucket: source, key }, settings);

    await expect(copy).rejects.toMatchObject({ name: 'PreconditionFailed' });
    const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket: destination }));
    expect(Uploads).toEqual([]);
    await expect(s3.send(new HeadObjectCommand({ Bucket: destination, Key: key }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('copies the same object byte for byte when no part fails (the injection is all that differs)', async () => {
    const result = await copyObject(clientFailingPart(0), { sourceBucket: source, key }, settings);

    expect(result).toMatchObject({ status: 'copied', method: 'multipart', parts: 4 });
    const copied = await s3.send(new GetObjectCommand({ Bucket: destination, Key: key }));
    expect(Buffer.from((await copied.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
    const { Uploads = [] } = await s3.send(new ListMultipartUploadsCommand({ Bucket: destination }));
    expect(Uploads).toEqual([]);
  });
});
