import type * as S3 from '@aws-sdk/client-s3';
import type * as Sns from '@aws-sdk/client-sns';
import type { S3Event } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { readEvent } from '../support/events';
import { lambdaContext } from '../support/lambda-context';

type Result = { copied: number; skipped: number; missing: number; ignored: number };
type Handler = (event: unknown, context: unknown) => Promise<Result>;

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:messaging-workers-test-notifications';
const SOURCE = 'messaging-workers-local-source-local';
const DESTINATION = 'messaging-workers-test-destination-local';
const context = lambdaContext({ functionName: 'messaging-workers-test-s3Copier' });
const ENV = { AWS_REGION: 'us-east-1', SOURCE_BUCKET: SOURCE, DEST_BUCKET: DESTINATION, NOTIFICATIONS_TOPIC_ARN: TOPIC, POWERTOOLS_LOG_LEVEL: 'SILENT' };
let s3Mock: AwsClientStub<S3.S3Client>;
let snsMock: AwsClientStub<Sns.SNSClient>;
let s3: typeof S3;
let sns: typeof Sns;

/** The handler in a module registry of its own, with S3 and SNS faked at the client boundary. */
async function loadHandler(env: Record<string, string> = {}): Promise<Handler> {
  Object.assign(process.env, ENV, env);
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    s3 = await import('@aws-sdk/client-s3');
    sns = await import('@aws-sdk/client-sns');
    s3Mock = mockClient(s3.S3Client);
    snsMock = mockClient(sns.SNSClient);
    snsMock.on(sns.PublishCommand).resolves({ MessageId: 'published-1' });
    handler = (await import('../../../handlers/s3-copier/handler')).handler as unknown as Handler;
  });
  if (!handler) throw new Error('handler not loaded');
  return handler;
}

/** The source as S3 answers HeadObject for it, and no copy in the destination yet. */
function sourceObject(head: Partial<S3.HeadObjectCommandOutput> = {}) {
  s3Mock.on(s3.HeadObjectCommand, { Bucket: SOURCE }).resolves({ ContentLength: 11, ETag: '"etag-1"', LastModified: new Date('2026-11-26T07:00:00Z'), ...head });
  s3Mock.on(s3.HeadObjectCommand, { Bucket: DESTINATION }).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
}

/** An S3 event of the given keys (as stored), encoded as S3 sends them. */
function eventOf(keys: string[], bucket = SOURCE): S3Event {
  const template = readEvent<S3Event>('s3-put-unicode-key.json').Records[0];
  if (!template) throw new Error('fixture has no record');
  return {
    Records: keys.map((key, index) => ({
      ...template,
      s3: { ...template.s3, bucket: { ...template.s3.bucket, name: bucket }, object: { ...template.s3.object, key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'), sequencer: `00${index}` } },
    })),
  };
}

afterEach(() => {
  s3Mock.restore();
  snsMock.restore();
  for (const key of Object.keys(ENV)) delete process.env[key];
  for (const key of ['COPY_OBJECT_CONCURRENCY', 'COPY_MULTIPART_THRESHOLD', 'COPY_PART_SIZE', 'DEST_PREFIX', 'SOURCE_PREFIX', 'SOURCE_SUFFIX', 'DEST_SSE', 'DEST_SSE_KMS_KEY_ID', 'DEST_STORAGE_CLASS']) delete process.env[key];
});

const published = () =>
  snsMock.commandCalls(sns.PublishCommand).map((call) => {
    const { MessageAttributes, Message } = call.args[0].input;
    return { eventType: MessageAttributes?.eventType?.StringValue, notification: JSON.parse(JSON.parse(Message ?? '{}').lambda) as Record<string, unknown> };
  });
const preconditionFailed = () => Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
const copies = () => s3Mock.commandCalls(s3.CopyObjectCommand).map((call) => call.args[0].input);

describe('s3Copier handler', () => {
  it('copies with the source\'s headers and metadata, records the source\'s identity, and announces it', async () => {
    const handler = await loadHandler();
    sourceObject({ ContentType: 'text/csv', CacheControl: 'no-cache', ContentDisposition: 'inline', ContentEncoding: 'gzip', ContentLanguage: 'de', Expires: new Date('2030-01-01T00:00:00Z'), Metadata: { owner: 'finance' } });
    s3Mock.on(s3.CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"copy-etag"' } });

    const result = await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);

    expect(result).toEqual({ copied: 1, skipped: 0, missing: 0, ignored: 0 });
    expect(copies()).toEqual([
      expect.objectContaining({
        Bucket: DESTINATION,
        Key: 'reports/my file 中文.txt',
        CopySource: `${SOURCE}/reports/my%20file%20%E4%B8%AD%E6%96%87.txt`,
        CopySourceIfMatch: '"etag-1"',
        MetadataDirective: 'REPLACE',
        TaggingDirective: 'COPY',
        ContentType: 'text/csv',
        CacheControl: 'no-cache',
        ContentDisposition: 'inline',
        ContentEncoding: 'gzip',
        ContentLanguage: 'de',
        Expires: new Date('2030-01-01T00:00:00Z'),
        Metadata: { owner: 'finance', 'copier-source-etag': '"etag-1"', 'copier-source-version': 'modified:2026-11-26T07:00:00.000Z' },
      }),
    ]);
    expect(published()).toEqual([
      { eventType: 'object-copied', notification: expect.objectContaining({ source: 's3Copier', sourceBucket: SOURCE, destinationBucket: DESTINATION, key: 'reports/my file 中文.txt', eTag: '"copy-etag"' }) },
    ]);
  });

  it('writes nothing when the destination already holds this source object (a redelivery), and announces under the same id', async () => {
    const handler = await loadHandler();
    sourceObject();
    s3Mock.on(s3.CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"copy-etag"' } });
    await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);
    const written = copies()[0]?.Metadata;
    // The key exists now: S3 refuses a copy that only creates it.
    s3Mock.on(s3.CopyObjectCommand, { IfNoneMatch: '*' }).rejects(preconditionFailed());
    s3Mock.on(s3.HeadObjectCommand, { Bucket: DESTINATION }).resolves({ ETag: '"copy-etag"', Metadata: written });

    const result = await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);

    expect(result).toEqual({ copied: 0, skipped: 1, missing: 0, ignored: 0 });
    // Both deliveries asked for a copy that only creates the key; no copy overwrote it.
    expect(copies().map((copy) => copy.IfNoneMatch)).toEqual(['*', '*']);
    const [first, second] = published().map((p) => p.notification.id);
    expect(second).toBe(first);
  });

  it('copies again, over the existing key, when the destination holds an older object of the key', async () => {
    const handler = await loadHandler();
    sourceObject();
    s3Mock.on(s3.HeadObjectCommand, { Bucket: DESTINATION }).resolves({ Metadata: { 'copier-source-etag': '"etag-0"', 'copier-source-version': 'modified:2026-11-25T07:00:00.000Z' } });
    s3Mock.on(s3.CopyObjectCommand).resolves({});
    s3Mock.on(s3.CopyObjectCommand, { IfNoneMatch: '*' }).rejects(preconditionFailed());

    const result = await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);

    expect(result.copied).toBe(1);
    expect(copies().map((copy) => copy.IfNoneMatch)).toEqual(['*', undefined]);
  });

  it('does not read the destination when the copy that only creates the key succeeds', async () => {
    const handler = await loadHandler();
    sourceObject();
    s3Mock.on(s3.CopyObjectCommand).resolves({});

    const result = await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);

    expect(result.copied).toBe(1);
    expect(s3Mock.commandCalls(s3.HeadObjectCommand, { Bucket: DESTINATION })).toHaveLength(0);
  });

  it('copies the version an event names while it is current, pinned to that version', async () => {
    const handler = await loadHandler();
    sourceObject({ VersionId: 'v2' });
    s3Mock.on(s3.CopyObjectCommand).resolves({});
    const event = eventOf(['versioned.txt']);
    Object.assign(event.Records[0]?.s3.object ?? {}, { versionId: 'v2' });

    const result = await handler(event, context);

    expect(result.copied).toBe(1);
    expect(copies()[0]).toEqual(expect.objectContaining({ CopySource: `${SOURCE}/versioned.txt?versionId=v2`, Metadata: expect.objectContaining({ 'copier-source-version': 'v2' }) }));
  });

  it('does not put back an older version when the event arrives after a newer one (its own event copies that)', async () => {
    const handler = await loadHandler();
    sourceObject({ VersionId: 'v3' });
    s3Mock.on(s3.CopyObjectCommand).resolves({});
    const event = eventOf(['versioned.txt']);
    Object.assign(event.Records[0]?.s3.object ?? {}, { versionId: 'v2' });

    const result = await handler(event, context);

    expect(result).toEqual({ copied: 0, skipped: 1, missing: 0, ignored: 0 });
    expect(copies()).toEqual([]);
    expect(s3Mock.commandCalls(s3.HeadObjectCommand, { Bucket: SOURCE })[0]?.args[0].input.VersionId).toBeUndefined();
  });

  it('announces a source deleted before the copy as copy-failed and does not fail the invocation (nothing to retry)', async () => {
    const handler = await loadHandler();
    s3Mock.on(s3.HeadObjectCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));

    const result = await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);

    expect(result).toEqual({ copied: 0, skipped: 0, missing: 1, ignored: 0 });
    expect(copies()).toEqual([]);
    expect(published()).toEqual([
      { eventType: 'copy-failed', notification: expect.objectContaining({ key: 'reports/my file 中文.txt', reason: `The source object no longer exists: s3://${SOURCE}/reports/my file 中文.txt` }) },
    ]);
  });

  it('copies every record even when one fails, then fails the invocation naming the failed one', async () => {
    const handler = await loadHandler();
    sourceObject();
    s3Mock.on(s3.CopyObjectCommand).resolves({});
    s3Mock.on(s3.CopyObjectCommand, { Key: 'b.txt' }).rejects(Object.assign(new Error('We encountered an internal error'), { name: 'InternalError' }));

    await expect(handler(eventOf(['a.txt', 'b.txt', 'c.txt']), context)).rejects.toMatchObject({ name: 'CopyFailedError', failedKeys: ['b.txt'], total: 3 });
    expect(copies().map(({ Key }) => Key).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(published().map(({ eventType, notification }) => [eventType, notification.key]).sort()).toEqual([
      ['copy-failed', 'b.txt'],
      ['object-copied', 'a.txt'],
      ['object-copied', 'c.txt'],
    ]);
  });

  it('copies the records of an event concurrently, at most COPY_OBJECT_CONCURRENCY at once', async () => {
    const handler = await loadHandler({ COPY_OBJECT_CONCURRENCY: '3' });
    sourceObject();
    let inFlight = 0;
    let most = 0;
    s3Mock.on(s3.CopyObjectCommand).callsFake(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return {};
    });

    await handler(eventOf(Array.from({ length: 10 }, (_, i) => `k${i}.txt`)), context);

    expect(most).toBe(3);
  });

  it('refuses a record of another bucket as its own failure, copies the rest, then fails the invocation', async () => {
    const handler = await loadHandler();
    sourceObject();
    s3Mock.on(s3.CopyObjectCommand).resolves({});
    const event = { Records: [...eventOf(['mine.txt']).Records, ...eventOf(['theirs.txt'], 'someone-elses-bucket').Records] };

    await expect(handler(event, context)).rejects.toMatchObject({ name: 'CopyFailedError', failedKeys: ['record 1'], total: 2 });
    expect(copies().map(({ Key }) => Key)).toEqual(['mine.txt']);
  });

  it('rejects an event with no Records with InvalidEventError', async () => {
    const handler = await loadHandler();

    await expect(handler({ hello: 'world' }, context)).rejects.toMatchObject({ name: 'InvalidEventError' });
  });

  it('ignores keys outside SOURCE_PREFIX/SOURCE_SUFFIX and puts copies under DEST_PREFIX', async () => {
    const handler = await loadHandler({ SOURCE_PREFIX: 'in/', SOURCE_SUFFIX: '.csv', DEST_PREFIX: 'copies/' });
    sourceObject();
    s3Mock.on(s3.CopyObjectCommand).resolves({});

    const result = await handler(eventOf(['in/a.csv', 'in/b.txt', 'out/c.csv']), context);

    expect(result).toEqual({ copied: 1, skipped: 0, missing: 0, ignored: 2 });
    expect(copies().map(({ Key }) => Key)).toEqual(['copies/in/a.csv']);
    expect(published()[0]?.notification).toEqual(expect.objectContaining({ key: 'in/a.csv', destinationKey: 'copies/in/a.csv' }));
  });

  it('encrypts and stores the copies as configured', async () => {
    const handler = await loadHandler({ DEST_SSE: 'aws:kms', DEST_SSE_KMS_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', DEST_STORAGE_CLASS: 'STANDARD_IA' });
    sourceObject();
    s3Mock.on(s3.CopyObjectCommand).resolves({});

    await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);

    expect(copies()[0]).toEqual(
      expect.objectContaining({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', StorageClass: 'STANDARD_IA' }),
    );
  });

  it('fails the invocation when the announcement cannot be published, so the event is retried', async () => {
    const handler = await loadHandler();
    sourceObject();
    s3Mock.on(s3.CopyObjectCommand).resolves({});
    snsMock.on(sns.PublishCommand).rejects(Object.assign(new Error('Topic gone'), { name: 'NotFoundException' }));

    await expect(handler(readEvent<S3Event>('s3-put-unicode-key.json'), context)).rejects.toMatchObject({ name: 'CopyFailedError', failedKeys: ['reports/my file 中文.txt'] });
  });
});

describe('s3Copier configuration', () => {
  it.each([
    ['the same bucket with no prefixes', { DEST_BUCKET: SOURCE }],
    ['the same bucket, copies under the source prefix', { DEST_BUCKET: SOURCE, SOURCE_PREFIX: 'in/', DEST_PREFIX: 'in/copies/' }],
    ['the same bucket, a source prefix and no destination prefix', { DEST_BUCKET: SOURCE, SOURCE_PREFIX: 'in/' }],
  ])('refuses to start on a copy loop: %s', async (_label, env) => {
    await expect(loadHandler(env)).rejects.toMatchObject({
      name: 'ConfigurationError',
      variables: ['SOURCE_BUCKET', 'DEST_BUCKET', 'SOURCE_PREFIX', 'DEST_PREFIX'],
      message: expect.stringContaining('every copy would trigger the copier again'),
    });
  });

  it('starts with the same bucket when the copies go outside the source prefix', async () => {
    await expect(loadHandler({ DEST_BUCKET: SOURCE, SOURCE_PREFIX: 'in/', DEST_PREFIX: 'out/' })).resolves.toBeInstanceOf(Function);
  });

  it.each([
    ['DEST_BUCKET', { DEST_BUCKET: 'Not_A_Bucket' }, 'DEST_BUCKET: must be a valid S3 bucket name'],
    ['COPY_MULTIPART_THRESHOLD', { COPY_MULTIPART_THRESHOLD: String(6 * 1024 ** 3) }, 'COPY_MULTIPART_THRESHOLD'],
    ['COPY_PART_SIZE', { COPY_PART_SIZE: '1048576' }, 'COPY_PART_SIZE: must be at least 5 MiB'],
    ['DEST_SSE', { DEST_SSE: 'rot13' }, 'DEST_SSE'],
    ['DEST_SSE_KMS_KEY_ID', { DEST_SSE: 'aws:kms', DEST_SSE_KMS_KEY_ID: 'alias/mine' }, 'DEST_SSE_KMS_KEY_ID: must be a KMS key ARN'],
    ['DEST_STORAGE_CLASS', { DEST_STORAGE_CLASS: 'COLD' }, 'DEST_STORAGE_CLASS'],
  ])('refuses a bad %s at start-up, naming it', async (variable, env, message) => {
    await expect(loadHandler(env)).rejects.toMatchObject({ name: 'ConfigurationError', variables: [variable], message: expect.stringContaining(message) });
  });

  it('refuses a KMS key without aws:kms encryption', async () => {
    const env = { DEST_SSE_KMS_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' };

    await expect(loadHandler(env)).rejects.toMatchObject({ name: 'ConfigurationError', variables: ['DEST_SSE_KMS_KEY_ID', 'DEST_SSE'] });
  });

  it('names SOURCE_BUCKET when it is missing', async () => {
    const loading = loadHandler({ SOURCE_BUCKET: '' });

    await expect(loading).rejects.toMatchObject({ name: 'ConfigurationError', variables: ['SOURCE_BUCKET'] });
  });
});
