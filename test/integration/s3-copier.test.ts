import { InvokeCommand } from '@aws-sdk/client-lambda';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { invokeAsync } from '../../local-aws/async-invoke';
import { toS3Event } from '../../local-aws/s3-notifications';
import { eventually, lambda, logLines, names, queueUrl, s3, sqs, uniqueId } from '../support/local-aws';

const MiB = 1024 * 1024;
const COPIER_METADATA = ['copier-source-etag', 'copier-source-version'];

/** HeadObject, or undefined while the object is not there. */
async function headOrUndefined(bucket: string, key: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return undefined;
    throw error;
  }
}

async function bytesOf(bucket: string, key: string): Promise<Buffer> {
  const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await output.Body?.transformToByteArray()) ?? []);
}

const tagsOf = async (bucket: string, key: string) =>
  ((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet ?? []).map(({ Key, Value }) => ({ Key, Value })).sort((a, b) => String(a.Key).localeCompare(String(b.Key)));

/** What a copy must keep of an object: bytes, headers, user metadata (the copier's own keys aside) and tags. */
async function observable(bucket: string, key: string) {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const metadata = Object.fromEntries(Object.entries(head.Metadata ?? {}).filter(([name]) => !COPIER_METADATA.includes(name)));
  return {
    bytes: (await bytesOf(bucket, key)).toString('base64'),
    contentType: head.ContentType,
    cacheControl: head.CacheControl,
    contentDisposition: head.ContentDisposition,
    contentEncoding: head.ContentEncoding,
    contentLanguage: head.ContentLanguage,
    expires: head.Expires?.toISOString(),
    metadata,
    tags: await tagsOf(bucket, key),
  };
}

const described = {
  ContentType: 'text/plain; charset=utf-8',
  CacheControl: 'max-age=3600, public',
  ContentDisposition: 'attachment; filename="report.txt"',
  ContentLanguage: 'zh-CN',
  Expires: new Date('2031-02-03T04:05:06Z'),
  Metadata: { 'uploaded-by': 'integration test', department: 'r&d (east)' },
  Tagging: 'project=copier%20test&weird%2Bkey=a%3Db%2Bc',
};

/** Keys (after the run's own folder) that break naive copiers: each is put with tags and metadata. */
const AWKWARD_KEYS: [string, (folder: string) => string][] = [
  ['spaces', (folder) => `${folder}/my quarterly report  v2.txt`],
  ['Chinese letters', (folder) => `${folder}/报告/季度 中文.txt`],
  ['emoji', (folder) => `${folder}/party 🎉😀.txt`],
  ['a literal +', (folder) => `${folder}/c++ a+b.txt`],
  ['% and an escape-looking %20', (folder) => `${folder}/100% done %20 not-a-space.txt`],
  ['=', (folder) => `${folder}/a=b==c.txt`],
  ['( and )', (folder) => `${folder}/copy (1).txt`],
  ['&', (folder) => `${folder}/this&that.txt`],
  ['?', (folder) => `${folder}/why?not=1.txt`],
  ['#', (folder) => `${folder}/#hash#tag.txt`],
  ['a deep path', (folder) => `${folder}/${Array.from({ length: 40 }, (_, i) => `level${i}`).join('/')}/deep.txt`],
  ['1,024 bytes', (folder) => `${folder}/${'中'.repeat(300)}`.padEnd(1024 - 300 * 2, 'k')],
];

describe('s3Copier through an S3 put in the local source bucket', () => {
  const folder = uniqueId('keys');

  it('has a key table whose longest key is exactly 1,024 bytes', () => {
    expect(Buffer.byteLength(AWKWARD_KEYS[11]?.[1](folder) ?? '', 'utf8')).toBe(1024);
  });

  it.each(AWKWARD_KEYS)('copies a key with %s to exactly that key, with its bytes, headers, metadata and tags', async (_label, makeKey) => {
    const key = makeKey(folder);

    await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: `content of ${key}`, ...described }));

    await eventually(() => headOrUndefined(names.destinationBucket, key), 30_000);
    const [source, copy] = await Promise.all([observable(names.sourceBucket, key), observable(names.destinationBucket, key)]);
    expect(copy).toEqual(source);
    expect(copy.tags).toEqual([
      { Key: 'project', Value: 'copier test' },
      { Key: 'weird+key', Value: 'a=b+c' },
    ]);
    expect(copy.metadata).toEqual({ 'uploaded-by': 'integration test', department: 'r&d (east)' });
  });

  it('copies an object above the multipart threshold (8 MiB on stage test) part by part, byte-identical with its metadata and tags', async () => {
    const key = `${uniqueId('multipart')}/video 中.bin`;
    const body = Buffer.alloc(12 * MiB + 12344);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE((i * 2654435761) >>> 0, i);
    // Built with a multipart upload: the local endpoint takes request bodies of about 11 MiB at most.
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: names.sourceBucket, Key: key, ...described }));
    const parts = [];
    for (let start = 0, partNumber = 1; start < body.length; start += 5 * MiB, partNumber++) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: names.sourceBucket, Key: key, UploadId, PartNumber: partNumber, Body: body.subarray(start, start + 5 * MiB) }));
      parts.push({ PartNumber: partNumber, ETag });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: names.sourceBucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));

    const copied = await eventually(() => logLines().find((line) => line.message === 'Object copied' && line.key === key), 60_000);
    expect(copied).toMatchObject({ method: 'multipart', parts: 3, size: body.length });
    expect((await bytesOf(names.destinationBucket, key)).equals(body)).toBe(true);
    const [source, copy] = await Promise.all([observable(names.sourceBucket, key), observable(names.destinationBucket, key)]);
    expect(copy).toEqual(source);
  }, 90_000);
});

describe('s3Copier on a redelivered event', () => {
  beforeAll(async () => {
    // Every write of the destination becomes a version, so writes can be counted.
    await s3.send(new PutBucketVersioningCommand({ Bucket: names.destinationBucket, VersioningConfiguration: { Status: 'Enabled' } }));
  });

  const versionsOf = async (key: string) =>
    ((await s3.send(new ListObjectVersionsCommand({ Bucket: names.destinationBucket, Prefix: key }))).Versions ?? []).filter((version) => version.Key === key);

  it('does not write the copy again', async () => {
    const key = `${uniqueId('redelivery')}/again & again.txt`;
    await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: 'once', ...described }));
    await eventually(async () => (await versionsOf(key)).length === 1 && true, 30_000);
    const before = await s3.send(new HeadObjectCommand({ Bucket: names.destinationBucket, Key: key }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: names.sourceBucket, Key: key }));
    const event = toS3Event({ bucket: names.sourceBucket, key, eventName: 'ObjectCreated:Put', sourceIp: '127.0.0.1' }, { size: 4, eTag: String(head.ETag).replace(/"/g, '') }, 'us-east-1', '00000000000000A1');

    const outputs = await Promise.all([1, 2].map(() => lambda.send(new InvokeCommand({ FunctionName: names.function('s3Copier'), Payload: JSON.stringify(event) }))));

    for (const output of outputs) {
      expect(output.FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(output.Payload ?? []).toString())).toEqual({ copied: 0, skipped: 1, missing: 0, ignored: 0 });
    }
    const versions = await versionsOf(key);
    expect(versions.map(({ VersionId }) => VersionId)).toEqual([before.VersionId]);
    const after = await s3.send(new HeadObjectCommand({ Bucket: names.destinationBucket, Key: key }));
    expect({ eTag: after.ETag, lastModified: after.LastModified }).toEqual({ eTag: before.ETag, lastModified: before.LastModified });
  });

  it('copies the key again when the source object is replaced', async () => {
    const key = `${uniqueId('replaced')}/report.txt`;
    await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: 'first' }));
    await eventually(async () => (await versionsOf(key)).length === 1 && true, 30_000);

    await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: 'second' }));

    await eventually(async () => (await versionsOf(key)).length === 2 && true, 30_000);
    expect((await bytesOf(names.destinationBucket, key)).toString()).toBe('second');
  });
});

describe('s3Copier on a versioned source bucket', () => {
  beforeAll(async () => {
    for (const Bucket of [names.sourceBucket, names.destinationBucket]) {
      await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    }
  });

  it('does not put an older version back when its event is delivered again after a newer one was copied', async () => {
    const key = `${uniqueId('versions')}/report.txt`;
    const first = await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: 'first' }));
    await eventually(async () => (await headOrUndefined(names.destinationBucket, key))?.Metadata?.['copier-source-version'] === first.VersionId, 30_000);
    const second = await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: 'second' }));
    await eventually(async () => (await headOrUndefined(names.destinationBucket, key))?.Metadata?.['copier-source-version'] === second.VersionId, 30_000);
    const before = await s3.send(new HeadObjectCommand({ Bucket: names.destinationBucket, Key: key }));
    const lateEvent = toS3Event(
      { bucket: names.sourceBucket, key, eventName: 'ObjectCreated:Put', sourceIp: '127.0.0.1', versionId: first.VersionId },
      { size: 5, eTag: String(first.ETag).replace(/"/g, ''), versionId: first.VersionId },
      'us-east-1',
      '00000000000000D1',
    );

    const output = await lambda.send(new InvokeCommand({ FunctionName: names.function('s3Copier'), Payload: JSON.stringify(lateEvent) }));

    expect(output.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(output.Payload ?? []).toString())).toEqual({ copied: 0, skipped: 1, missing: 0, ignored: 0 });
    const after = await s3.send(new HeadObjectCommand({ Bucket: names.destinationBucket, Key: key }));
    expect(after.VersionId).toBe(before.VersionId);
    expect((await bytesOf(names.destinationBucket, key)).toString()).toBe('second');
  });
});

describe('s3Copier on records it cannot copy', () => {
  it('announces a source deleted before the copy and does not fail the invocation (retrying cannot help)', async () => {
    const key = `${uniqueId('deleted')}/gone.txt`;
    const event = toS3Event({ bucket: names.sourceBucket, key, eventName: 'ObjectCreated:Put', sourceIp: '127.0.0.1' }, { size: 4, eTag: 'abc' }, 'us-east-1', '00000000000000B1');

    const output = await lambda.send(new InvokeCommand({ FunctionName: names.function('s3Copier'), Payload: JSON.stringify(event) }));

    expect(output.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(output.Payload ?? []).toString())).toEqual({ copied: 0, skipped: 0, missing: 1, ignored: 0 });
    expect(await headOrUndefined(names.destinationBucket, key)).toBeUndefined();
  });

  it('copies the good record of an event, fails the event for the bad one, and after the retries the on-failure destination holds it', async () => {
    const good = `${uniqueId('mixed')}/good.txt`;
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: `messaging-workers-test-${uniqueId('copier-failures')}` }));
    await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: good, Body: 'good' }));
    // The good record's object, and a record of a bucket the copier does not serve.
    const records = [
      ...toS3Event({ bucket: names.sourceBucket, key: good, eventName: 'ObjectCreated:Put', sourceIp: '127.0.0.1' }, { size: 4, eTag: 'x' }, 'us-east-1', '00000000000000C1').Records,
      ...toS3Event({ bucket: 'someone-elses-bucket', key: 'theirs.txt', eventName: 'ObjectCreated:Put', sourceIp: '127.0.0.1' }, { size: 4, eTag: 'y' }, 'us-east-1', '00000000000000C2').Records,
    ];

    const delivered = await invokeAsync({ lambda, sqs }, { functionName: names.function('s3Copier'), timeoutSeconds: 30, onFailureQueueUrl: QueueUrl }, { Records: records }, [10, 10]);

    expect(delivered).toBe(false);
    expect((await bytesOf(names.destinationBucket, good)).toString()).toBe('good');
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    const failure = JSON.parse(Messages[0]?.Body ?? '{}') as { requestPayload?: { Records?: { s3: { bucket: { name: string } } }[] }; responsePayload?: { errorMessage?: string } };
    expect(failure.requestPayload?.Records?.map((record) => record.s3.bucket.name)).toEqual([names.sourceBucket, 'someone-elses-bucket']);
    expect(failure.responsePayload?.errorMessage).toContain('Failed to copy 1 of 2 objects: record 1');
  }, 120_000);
});

describe('the copy-object job of sqsConsumer', () => {
  it('copies a large object part by part exactly as s3Copier does, from a bucket no trigger watches', async () => {
    const bucket = uniqueId('job-src').toLowerCase();
    const key = `${uniqueId('job')}/big (1).bin`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const body = Buffer.alloc(12 * MiB + 12344, 9);
    // Uploaded in 2 parts; the copier copies in 5 MiB parts (stage test), so its copy has 3: the ETag tells.
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...described }));
    const parts = [];
    for (let start = 0, partNumber = 1; start < body.length; start += 8 * MiB, partNumber++) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: partNumber, Body: body.subarray(start, start + 8 * MiB) }));
      parts.push({ PartNumber: partNumber, ETag });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));

    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl(names.workQueue), MessageBody: JSON.stringify({ type: 'copy-object', bucket, key }) }));

    const head = await eventually(() => headOrUndefined(names.destinationBucket, key), 60_000);
    expect(head.ETag).toMatch(/-3"$/);
    const [source, copy] = await Promise.all([observable(bucket, key), observable(names.destinationBucket, key)]);
    expect(copy).toEqual(source);
    expect((await bytesOf(names.destinationBucket, key)).equals(body)).toBe(true);
  }, 90_000);
});
