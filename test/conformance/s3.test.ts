/**
 * S3 as the Amazon S3 API Reference documents it, through the real SDK v3 client against the local
 * AWS. Each test names the operation and the documented answer (error code / HTTP status).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectAclCommand,
  GetObjectAttributesCommand,
  GetObjectRetentionCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  PutPublicAccessBlockCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import type { LocalClients } from '../../local-aws/clients';
import { planFromTemplate } from '../../local-aws/plan';
import { provision } from '../../local-aws/provision';
import { ACCOUNT, type ConformanceAws, REGION, rejection, startConformanceAws, unique } from './local-aws';

let aws: ConformanceAws;
beforeAll(async () => {
  aws = await startConformanceAws();
});
afterAll(async () => {
  await aws?.stop();
});

async function bucket(): Promise<string> {
  const name = unique('conf').toLowerCase();
  await aws.s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

async function put(Bucket: string, Key: string, Body: string, extra: Record<string, unknown> = {}) {
  return aws.s3.send(new PutObjectCommand({ Bucket, Key, Body, ...extra }));
}

async function body(Bucket: string, Key: string, VersionId?: string): Promise<string> {
  const out = await aws.s3.send(new GetObjectCommand({ Bucket, Key, VersionId }));
  return (await out.Body?.transformToString()) ?? '';
}

const policy = (b: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${b}/*` }],
  });

/** One S3 request signed with Signature Version 2 (`Authorization: AWS key:signature`), as older SDKs and tools send it. */
function sigV2Request(method: 'GET' | 'PUT', path: string, body?: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, aws.endpoint);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method, headers: { authorization: 'AWS local:c2lnbmVkIHdpdGggdjI=', date: new Date().toUTCString(), ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

describe('one S3 whatever the signature', () => {
  it('an object put with a SigV2-signed request is the object GetObject (SigV4) reads, and the reverse', async () => {
    const b = await bucket();
    expect((await sigV2Request('PUT', `/${b}/from-v2`, 'signed with v2')).status).toBe(200);
    expect(await body(b, 'from-v2')).toBe('signed with v2');
    await put(b, 'from-v4', 'signed with v4');
    expect(await sigV2Request('GET', `/${b}/from-v4`)).toEqual({ status: 200, body: 'signed with v4' });
  });
});

describe('object tagging', () => {
  it('PutObjectTagging stores the tag set and keeps the object bytes (GetObjectTagging, GetObject)', async () => {
    const b = await bucket();
    await put(b, 'k', 'original bytes');
    await aws.s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 'k', Tagging: { TagSet: [{ Key: 'team', Value: 'a' }] } }));
    expect(await body(b, 'k')).toBe('original bytes');
    const tags = await aws.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'k' }));
    expect(tags.TagSet).toEqual([{ Key: 'team', Value: 'a' }]);
  });

  it('PutObjectTagging is not an ObjectCreated event (S3 Event Notifications: s3:ObjectTagging:Put)', async () => {
    const b = await bucket();
    await put(b, 'k', 'x');
    const before = (await aws.createdUntil(b, 'k')).length;
    await aws.s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 'k', Tagging: { TagSet: [{ Key: 't', Value: 'v' }] } }));
    await put(b, 'marker', 'm');
    const events = await aws.createdUntil(b, 'marker');
    expect(events.slice(before).map((e) => e.key)).toEqual(['marker']);
  });

  it('DeleteObjectTagging removes the tags and keeps the object', async () => {
    const b = await bucket();
    await put(b, 'k', 'keep me', { Tagging: 'a=1' });
    await aws.s3.send(new DeleteObjectTaggingCommand({ Bucket: b, Key: 'k' }));
    expect(await body(b, 'k')).toBe('keep me');
    expect((await aws.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'k' }))).TagSet).toEqual([]);
  });

  it('PutObject with x-amz-tagging stores the tags; GetObject answers x-amz-tagging-count', async () => {
    const b = await bucket();
    await put(b, 'k', 'x', { Tagging: 'a=1&b=2' });
    const tags = await aws.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'k' }));
    expect(tags.TagSet?.map((t) => `${t.Key}=${t.Value}`).sort()).toEqual(['a=1', 'b=2']);
    const got = await aws.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }));
    await got.Body?.transformToString();
    expect(got.TagCount).toBe(2);
  });

  it('CopyObject with TaggingDirective COPY (the default) copies the source tags', async () => {
    const b = await bucket();
    await put(b, 'src', 'x', { Tagging: 'a=1' });
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src` }));
    expect((await aws.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'dst' }))).TagSet).toEqual([{ Key: 'a', Value: '1' }]);
  });

  it('CopyObject with TaggingDirective REPLACE uses the request tags', async () => {
    const b = await bucket();
    await put(b, 'src', 'x', { Tagging: 'a=1' });
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, TaggingDirective: 'REPLACE', Tagging: 'b=2' }));
    expect((await aws.s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: 'dst' }))).TagSet).toEqual([{ Key: 'b', Value: '2' }]);
  });
});

describe('bucket sub-resources', () => {
  it('DeleteBucketPolicy removes the policy, not the bucket (GetBucketPolicy then NoSuchBucketPolicy)', async () => {
    const b = await bucket();
    await aws.s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: policy(b) }));
    const stored = await aws.s3.send(new GetBucketPolicyCommand({ Bucket: b }));
    expect(JSON.parse(stored.Policy ?? '{}').Statement[0].Action).toBe('s3:DeleteObject');
    await aws.s3.send(new DeleteBucketPolicyCommand({ Bucket: b }));
    await aws.s3.send(new HeadBucketCommand({ Bucket: b }));
    expect((await rejection(aws.s3.send(new GetBucketPolicyCommand({ Bucket: b })))).name).toBe('NoSuchBucketPolicy');
  });

  it('DeleteBucketTagging removes the tags, not the bucket (GetBucketTagging then NoSuchTagSet)', async () => {
    const b = await bucket();
    await aws.s3.send(new PutBucketTaggingCommand({ Bucket: b, Tagging: { TagSet: [{ Key: 'env', Value: 'test' }] } }));
    expect((await aws.s3.send(new GetBucketTaggingCommand({ Bucket: b }))).TagSet).toEqual([{ Key: 'env', Value: 'test' }]);
    await aws.s3.send(new DeleteBucketTaggingCommand({ Bucket: b }));
    await aws.s3.send(new HeadBucketCommand({ Bucket: b }));
    expect((await rejection(aws.s3.send(new GetBucketTaggingCommand({ Bucket: b })))).name).toBe('NoSuchTagSet');
  });

  it('PutPublicAccessBlock is stored and returned by GetPublicAccessBlock', async () => {
    const b = await bucket();
    const configuration = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
    await aws.s3.send(new PutPublicAccessBlockCommand({ Bucket: b, PublicAccessBlockConfiguration: configuration }));
    expect((await aws.s3.send(new GetPublicAccessBlockCommand({ Bucket: b }))).PublicAccessBlockConfiguration).toEqual(configuration);
  });

  it('PutBucketNotificationConfiguration is stored and returned by GetBucketNotificationConfiguration', async () => {
    const b = await bucket();
    const QueueConfigurations = [{ Id: 'to-queue', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:some-queue', Events: ['s3:ObjectCreated:*' as const] }];
    await aws.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: { QueueConfigurations } }));
    const stored = await aws.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
    expect(stored.QueueConfigurations).toEqual(QueueConfigurations);
  });

  it('GetObjectAcl answers the owner FULL_CONTROL grant of a new object', async () => {
    const b = await bucket();
    await put(b, 'k', 'x');
    const acl = await aws.s3.send(new GetObjectAclCommand({ Bucket: b, Key: 'k' }));
    expect(acl.Grants?.some((g) => g.Permission === 'FULL_CONTROL')).toBe(true);
  });
});

describe('conditional writes (PutObject If-None-Match / If-Match)', () => {
  it('If-None-Match: * on an existing key answers 412 PreconditionFailed and keeps the object', async () => {
    const b = await bucket();
    await put(b, 'k', 'first');
    const error = await rejection(put(b, 'k', 'second', { IfNoneMatch: '*' }));
    expect(error.$metadata?.httpStatusCode).toBe(412);
    expect(error.name).toBe('PreconditionFailed');
    expect(await body(b, 'k')).toBe('first');
  });

  it('If-None-Match: * on a new key writes it', async () => {
    const b = await bucket();
    await put(b, 'new', 'v', { IfNoneMatch: '*' });
    expect(await body(b, 'new')).toBe('v');
  });

  it('If-Match with another ETag answers 412 PreconditionFailed; with the current ETag it writes', async () => {
    const b = await bucket();
    const { ETag } = await put(b, 'k', 'first');
    const error = await rejection(put(b, 'k', 'second', { IfMatch: '"0123456789abcdef0123456789abcdef"' }));
    expect(error.$metadata?.httpStatusCode).toBe(412);
    expect(await body(b, 'k')).toBe('first');
    await put(b, 'k', 'third', { IfMatch: ETag });
    expect(await body(b, 'k')).toBe('third');
  });

  it('a rejected conditional write fires no ObjectCreated event', async () => {
    const b = await bucket();
    await put(b, 'k', 'first');
    await rejection(put(b, 'k', 'second', { IfNoneMatch: '*' }));
    await put(b, 'marker', 'm');
    expect((await aws.createdUntil(b, 'marker')).map((e) => e.key)).toEqual(['k', 'marker']);
  });
});

describe('versioning', () => {
  async function versioned(): Promise<string> {
    const b = await bucket();
    await aws.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    return b;
  }

  it('GetBucketVersioning answers the status PutBucketVersioning set', async () => {
    const b = await versioned();
    expect((await aws.s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status).toBe('Enabled');
  });

  it('PutObject answers a VersionId, and each version stays readable by GetObject/HeadObject versionId', async () => {
    const b = await versioned();
    const v1 = await put(b, 'k', 'one');
    const v2 = await put(b, 'k', 'two');
    expect(v1.VersionId).toBeTruthy();
    expect(v2.VersionId).toBeTruthy();
    expect(v1.VersionId).not.toBe(v2.VersionId);
    expect(await body(b, 'k', v1.VersionId)).toBe('one');
    expect(await body(b, 'k')).toBe('two');
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', VersionId: v1.VersionId }));
    expect(head.ContentLength).toBe(3);
    expect(head.VersionId).toBe(v1.VersionId);
  });

  it('ListObjectVersions lists every version', async () => {
    const b = await versioned();
    const v1 = await put(b, 'k', 'one');
    const v2 = await put(b, 'k', 'two');
    const list = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    expect(list.Versions?.map((v) => v.VersionId).sort()).toEqual([v1.VersionId, v2.VersionId].sort());
  });

  it('DeleteObject without a version adds a delete marker; the versions survive', async () => {
    const b = await versioned();
    const v1 = await put(b, 'k', 'one');
    const deleted = await aws.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
    expect(deleted.DeleteMarker).toBe(true);
    expect((await rejection(aws.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' })))).name).toBe('NoSuchKey');
    expect(await body(b, 'k', v1.VersionId)).toBe('one');
    const list = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    expect(list.DeleteMarkers?.length).toBe(1);
  });

  it('the ObjectCreated event of a versioned put names the version it created (S3 event message: s3.object.versionId)', async () => {
    const b = await versioned();
    const { VersionId } = await put(b, 'k', 'one');
    expect((await aws.createdUntil(b, 'k')).map((e) => e.versionId)).toEqual([VersionId]);
  });

  it('CopyObject copies the version named in x-amz-copy-source ?versionId', async () => {
    const b = await versioned();
    const v1 = await put(b, 'k', 'one');
    await put(b, 'k', 'two');
    const copied = await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'copy', CopySource: `${b}/k?versionId=${v1.VersionId}` }));
    expect(copied.CopySourceVersionId).toBe(v1.VersionId);
    expect(await body(b, 'copy')).toBe('one');
  });

  it('versioning suspended: DeleteObject without a version replaces only the null version with a delete marker (version id null); the other versions stay', async () => {
    const b = await versioned();
    const kept = await put(b, 'k', 'kept');
    await aws.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }));
    await put(b, 'k', 'null version');
    const deleted = await aws.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
    expect({ marker: deleted.DeleteMarker, version: deleted.VersionId }).toEqual({ marker: true, version: 'null' });
    const list = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    expect(list.Versions?.map((v) => v.VersionId)).toEqual([kept.VersionId]);
    expect(list.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([['null', true]]);
    expect(await body(b, 'k', kept.VersionId)).toBe('kept');
    expect((await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', VersionId: kept.VersionId }))).ContentLength).toBe(4);
  });

  it('versioning suspended: PutObject replaces only the null version; the versions written while enabled stay', async () => {
    const b = await versioned();
    const kept = await put(b, 'k', 'kept');
    await aws.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }));
    await put(b, 'k', 'first null');
    await put(b, 'k', 'second null');
    const list = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    expect(list.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      ['null', true],
      [kept.VersionId, false],
    ]);
    expect([await body(b, 'k'), await body(b, 'k', kept.VersionId)]).toEqual(['second null', 'kept']);
  });

  it('PutBucketVersioning Suspended on an Object Lock bucket answers 409 InvalidBucketState; versioning stays Enabled', async () => {
    const b = unique('conf-lock').toLowerCase();
    await aws.s3.send(new CreateBucketCommand({ Bucket: b, ObjectLockEnabledForBucket: true }));
    const error = await rejection(aws.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'InvalidBucketState', status: 409 });
    expect((await aws.s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status).toBe('Enabled');
  });
});

describe('multipart uploads', () => {
  const FIVE_MIB = 5 * 1024 * 1024;

  it('CompleteMultipartUpload with no parts is refused (MalformedXML) and writes nothing', async () => {
    const b = await bucket();
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'empty' }));
    const error = await rejection(aws.s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'empty', UploadId, MultipartUpload: { Parts: [] } })));
    expect(['MalformedXML', 'InvalidRequest']).toContain(error.name);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect((await rejection(aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'empty' })))).name).toBe('NotFound');
  });

  it('ListMultipartUploads lists an open upload; ListParts its parts; AbortMultipartUpload ends it (then NoSuchUpload)', async () => {
    const b = await bucket();
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'open' }));
    await aws.s3.send(new UploadPartCommand({ Bucket: b, Key: 'open', UploadId, PartNumber: 1, Body: 'part one' }));
    const uploads = await aws.s3.send(new ListMultipartUploadsCommand({ Bucket: b }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['open', UploadId]]);
    const parts = await aws.s3.send(new ListPartsCommand({ Bucket: b, Key: 'open', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, 8]]);
    await aws.s3.send(new AbortMultipartUploadCommand({ Bucket: b, Key: 'open', UploadId }));
    expect((await aws.s3.send(new ListMultipartUploadsCommand({ Bucket: b }))).Uploads ?? []).toEqual([]);
    expect((await rejection(aws.s3.send(new ListPartsCommand({ Bucket: b, Key: 'open', UploadId })))).name).toBe('NoSuchUpload');
  });

  it('UploadPartCopy with x-amz-copy-source-range copies those bytes; the completed object is their concatenation', async () => {
    const b = await bucket();
    const source = Buffer.alloc(FIVE_MIB + 10, 'a');
    source.write('0123456789', FIVE_MIB);
    await aws.s3.send(new PutObjectCommand({ Bucket: b, Key: 'src', Body: source }));
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'dst' }));
    const first = await aws.s3.send(
      new UploadPartCopyCommand({ Bucket: b, Key: 'dst', UploadId, PartNumber: 1, CopySource: `${b}/src`, CopySourceRange: `bytes=0-${FIVE_MIB - 1}` }),
    );
    const second = await aws.s3.send(
      new UploadPartCopyCommand({ Bucket: b, Key: 'dst', UploadId, PartNumber: 2, CopySource: `${b}/src`, CopySourceRange: `bytes=${FIVE_MIB + 2}-${FIVE_MIB + 4}` }),
    );
    const done = await aws.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: b,
        Key: 'dst',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: first.CopyPartResult?.ETag }, { PartNumber: 2, ETag: second.CopyPartResult?.ETag }] },
      }),
    );
    expect(done.ETag).toMatch(/-2"$/);
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dst' }));
    expect(head.ContentLength).toBe(FIVE_MIB + 3);
    const tail = await aws.s3.send(new GetObjectCommand({ Bucket: b, Key: 'dst', Range: `bytes=${FIVE_MIB}-` }));
    expect(await tail.Body?.transformToString()).toBe('234');
  });

  it('CompleteMultipartUpload fires ObjectCreated:CompleteMultipartUpload; parts fire nothing', async () => {
    const b = await bucket();
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'mp' }));
    const part = await aws.s3.send(new UploadPartCommand({ Bucket: b, Key: 'mp', UploadId, PartNumber: 1, Body: 'only part' }));
    await aws.s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect((await aws.createdUntil(b, 'mp')).map((e) => e.eventName)).toEqual(['ObjectCreated:CompleteMultipartUpload']);
    expect(await body(b, 'mp')).toBe('only part');
  });
});

describe('CompleteMultipartUpload', () => {
  /** An open upload of `Key` with one part; answers what completing it needs. */
  async function openUpload(b: string, Key: string, extra: Record<string, unknown> = {}) {
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key, ...extra }));
    const { ETag } = await aws.s3.send(new UploadPartCommand({ Bucket: b, Key, UploadId, PartNumber: 1, Body: 'the new object' }));
    return { Bucket: b, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] } };
  }

  it('If-Match with another ETag answers 412 PreconditionFailed and keeps the object', async () => {
    const b = await bucket();
    await put(b, 'k', 'old');
    const upload = await openUpload(b, 'k');
    const error = await rejection(aws.s3.send(new CompleteMultipartUploadCommand({ ...upload, IfMatch: '"0123456789abcdef0123456789abcdef"' })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await body(b, 'k')).toBe('old');
  });

  it('If-Match with the current ETag completes over the object', async () => {
    const b = await bucket();
    const { ETag } = await put(b, 'k', 'old');
    const upload = await openUpload(b, 'k');
    await aws.s3.send(new CompleteMultipartUploadCommand({ ...upload, IfMatch: ETag }));
    expect(await body(b, 'k')).toBe('the new object');
  });

  it('If-None-Match: * over an existing key answers 412 PreconditionFailed and keeps the object', async () => {
    const b = await bucket();
    await put(b, 'k', 'old');
    const upload = await openUpload(b, 'k');
    const error = await rejection(aws.s3.send(new CompleteMultipartUploadCommand({ ...upload, IfNoneMatch: '*' })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await body(b, 'k')).toBe('old');
  });

  it('the Object Lock settings given at CreateMultipartUpload are kept on the completed object', async () => {
    const b = unique('conf-lock').toLowerCase();
    await aws.s3.send(new CreateBucketCommand({ Bucket: b, ObjectLockEnabledForBucket: true }));
    const until = new Date('2031-01-01T00:00:00Z');
    const upload = await openUpload(b, 'locked', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' });
    await aws.s3.send(new CompleteMultipartUploadCommand(upload));
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'locked' }));
    expect({ mode: head.ObjectLockMode, until: head.ObjectLockRetainUntilDate, hold: head.ObjectLockLegalHoldStatus }).toEqual({ mode: 'GOVERNANCE', until, hold: 'ON' });
  });

  it('the upload id of another key answers 404 NoSuchUpload; neither key is written', async () => {
    const b = await bucket();
    const upload = await openUpload(b, 'mine');
    const error = await rejection(aws.s3.send(new CompleteMultipartUploadCommand({ ...upload, Key: 'other' })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'NoSuchUpload', status: 404 });
    expect((await aws.s3.send(new ListObjectsV2Command({ Bucket: b }))).Contents ?? []).toEqual([]);
    await aws.s3.send(new CompleteMultipartUploadCommand(upload));
    expect(await body(b, 'mine')).toBe('the new object');
  });

  it('an upload id that names no upload answers 404 NoSuchUpload', async () => {
    const b = await bucket();
    const upload = await openUpload(b, 'k');
    const error = await rejection(aws.s3.send(new CompleteMultipartUploadCommand({ ...upload, UploadId: 'no-such-upload' })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'NoSuchUpload', status: 404 });
  });

  it('a completion without a part list answers 400 MalformedXML and writes nothing', async () => {
    const b = await bucket();
    const { Bucket, Key, UploadId } = await openUpload(b, 'k');
    const error = await rejection(aws.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'MalformedXML', status: 400 });
    expect((await rejection(aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' })))).name).toBe('NotFound');
  });

  it('in a bucket without versioning the answer has no VersionId', async () => {
    const b = await bucket();
    const done = await aws.s3.send(new CompleteMultipartUploadCommand(await openUpload(b, 'k')));
    expect(done.VersionId).toBeUndefined();
  });
});

describe('GetObject and HeadObject with partNumber', () => {
  const FIVE_MIB = 5 * 1024 * 1024;

  /** A completed two-part object: 5 MiB of `a`, then `0123456789`. */
  async function twoParts(): Promise<{ b: string; etag: string | undefined }> {
    const b = await bucket();
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'mp' }));
    const one = await aws.s3.send(new UploadPartCommand({ Bucket: b, Key: 'mp', UploadId, PartNumber: 1, Body: Buffer.alloc(FIVE_MIB, 'a') }));
    const two = await aws.s3.send(new UploadPartCommand({ Bucket: b, Key: 'mp', UploadId, PartNumber: 2, Body: '0123456789' }));
    const done = await aws.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: b,
        Key: 'mp',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: one.ETag }, { PartNumber: 2, ETag: two.ETag }] },
      }),
    );
    return { b, etag: done.ETag };
  }

  it('GetObject partNumber answers 206 with that part only: its bytes, Content-Range, PartsCount, and the whole object\'s ETag', async () => {
    const { b, etag } = await twoParts();
    const got = await aws.s3.send(new GetObjectCommand({ Bucket: b, Key: 'mp', PartNumber: 2 }));
    expect({
      status: got.$metadata.httpStatusCode,
      body: await got.Body?.transformToString(),
      length: got.ContentLength,
      range: got.ContentRange,
      parts: got.PartsCount,
      etag: got.ETag,
    }).toEqual({ status: 206, body: '0123456789', length: 10, range: `bytes ${FIVE_MIB}-${FIVE_MIB + 9}/${FIVE_MIB + 10}`, parts: 2, etag });
  });

  it('HeadObject partNumber answers 206 with the part\'s length and Content-Range, PartsCount, and the whole object\'s ETag', async () => {
    const { b, etag } = await twoParts();
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'mp', PartNumber: 1 }));
    expect({ status: head.$metadata.httpStatusCode, length: head.ContentLength, range: head.ContentRange, parts: head.PartsCount, etag: head.ETag }).toEqual({
      status: 206,
      length: FIVE_MIB,
      range: `bytes 0-${FIVE_MIB - 1}/${FIVE_MIB + 10}`,
      parts: 2,
      etag,
    });
  });

  it('GetObject partNumber beyond the object\'s parts answers 416 InvalidPartNumber', async () => {
    const { b } = await twoParts();
    const error = await rejection(aws.s3.send(new GetObjectCommand({ Bucket: b, Key: 'mp', PartNumber: 3 })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'InvalidPartNumber', status: 416 });
  });
});

describe('CopyObject', () => {
  it('If-None-Match: * copies only when the destination key does not exist (412 PreconditionFailed otherwise, the destination unchanged)', async () => {
    const b = await bucket();
    await put(b, 'src', 'new');
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'fresh', CopySource: `${b}/src`, IfNoneMatch: '*' }));
    expect(await body(b, 'fresh')).toBe('new');
    await put(b, 'dst', 'old');
    const error = await rejection(aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, IfNoneMatch: '*' })));
    expect(error.$metadata?.httpStatusCode).toBe(412);
    expect(await body(b, 'dst')).toBe('old');
  });

  it('If-Match copies only over the destination object with that ETag', async () => {
    const b = await bucket();
    await put(b, 'src', 'new');
    const { ETag } = await put(b, 'dst', 'old');
    const error = await rejection(
      aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, IfMatch: '"0123456789abcdef0123456789abcdef"' })),
    );
    expect(error.$metadata?.httpStatusCode).toBe(412);
    expect(await body(b, 'dst')).toBe('old');
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, IfMatch: ETag }));
    expect(await body(b, 'dst')).toBe('new');
  });

  it('x-amz-copy-source-if-match with another ETag answers 412 PreconditionFailed', async () => {
    const b = await bucket();
    await put(b, 'src', 'x');
    const error = await rejection(
      aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' })),
    );
    expect(error.$metadata?.httpStatusCode).toBe(412);
    expect((await rejection(aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dst' })))).name).toBe('NotFound');
  });

  it('x-amz-copy-source-if-match with the source ETag copies', async () => {
    const b = await bucket();
    const { ETag } = await put(b, 'src', 'x');
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, CopySourceIfMatch: ETag }));
    expect(await body(b, 'dst')).toBe('x');
  });

  it('x-amz-copy-source-if-none-match with the source ETag answers 412 PreconditionFailed', async () => {
    const b = await bucket();
    const { ETag } = await put(b, 'src', 'x');
    const error = await rejection(aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, CopySourceIfNoneMatch: ETag })));
    expect(error.$metadata?.httpStatusCode).toBe(412);
  });

  it('x-amz-copy-source-if-unmodified-since before the source was written answers 412', async () => {
    const b = await bucket();
    await put(b, 'src', 'x');
    const error = await rejection(
      aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, CopySourceIfUnmodifiedSince: new Date('2000-01-01T00:00:00Z') })),
    );
    expect(error.$metadata?.httpStatusCode).toBe(412);
  });

  it('x-amz-copy-source-if-modified-since after the source was written answers 412', async () => {
    const b = await bucket();
    await put(b, 'src', 'x');
    const error = await rejection(
      aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, CopySourceIfModifiedSince: new Date(Date.now() + 86_400_000) })),
    );
    expect(error.$metadata?.httpStatusCode).toBe(412);
  });

  it('x-amz-copy-source-if-unmodified-since compares whole seconds: the second the source was written holds', async () => {
    const b = await bucket();
    await put(b, 'src', 'x');
    const { LastModified } = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'src' }));
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, CopySourceIfUnmodifiedSince: LastModified }));
    expect(await body(b, 'dst')).toBe('x');
  });

  it('if-match true and if-unmodified-since false: the copy is made (precedence as CopyObject documents it)', async () => {
    const b = await bucket();
    const { ETag } = await put(b, 'src', 'x');
    await aws.s3.send(
      new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, CopySourceIfMatch: ETag, CopySourceIfUnmodifiedSince: new Date('2000-01-01T00:00:00Z') }),
    );
    expect(await body(b, 'dst')).toBe('x');
  });

  it('if-none-match false and if-modified-since true: 412 PreconditionFailed (precedence as CopyObject documents it)', async () => {
    const b = await bucket();
    const { ETag } = await put(b, 'src', 'x');
    const error = await rejection(
      aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, CopySourceIfNoneMatch: ETag, CopySourceIfModifiedSince: new Date('2000-01-01T00:00:00Z') })),
    );
    expect(error.$metadata?.httpStatusCode).toBe(412);
  });

  it('the copy of an object has its ETag: the MD5 of the same bytes', async () => {
    const b = await bucket();
    const content = 'the same bytes';
    const { ETag } = await put(b, 'src', content);
    const { CopyObjectResult } = await aws.s3.send(
      new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, MetadataDirective: 'REPLACE', Metadata: { added: 'yes' } }),
    );
    const md5 = `"${createHash('md5').update(content).digest('hex')}"`;
    expect([ETag, CopyObjectResult?.ETag, (await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dst' }))).ETag]).toEqual([md5, md5, md5]);
  });

  it('copying an object onto itself without changing anything answers 400 InvalidRequest', async () => {
    const b = await bucket();
    await put(b, 'k', 'x');
    const error = await rejection(aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'k', CopySource: `${b}/k` })));
    expect(error.name).toBe('InvalidRequest');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('copying an object onto itself with MetadataDirective REPLACE is allowed', async () => {
    const b = await bucket();
    await put(b, 'k', 'x');
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'k', CopySource: `${b}/k`, MetadataDirective: 'REPLACE', Metadata: { v: '2' } }));
    expect((await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' }))).Metadata).toEqual({ v: '2' });
  });

  const headers = {
    ContentType: 'text/csv',
    CacheControl: 'max-age=60',
    ContentDisposition: 'attachment; filename="a.csv"',
    ContentEncoding: 'identity',
    ContentLanguage: 'de',
    Expires: new Date('2030-01-01T00:00:00Z'),
    Metadata: { owner: 'alice' },
  };

  it('MetadataDirective COPY (the default) keeps content-type, cache-control, content-disposition, content-encoding, content-language, expires, x-amz-meta-*', async () => {
    const b = await bucket();
    await put(b, 'src', 'a,b', headers);
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src` }));
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dst' }));
    expect(head).toMatchObject({ ...headers, Expires: headers.Expires });
  });

  it('MetadataDirective REPLACE takes the request headers and drops the source ones', async () => {
    const b = await bucket();
    await put(b, 'src', 'a,b', headers);
    await aws.s3.send(
      new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src`, MetadataDirective: 'REPLACE', ContentType: 'application/json', Metadata: { owner: 'bob' } }),
    );
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'dst' }));
    expect(head.ContentType).toBe('application/json');
    expect(head.Metadata).toEqual({ owner: 'bob' });
    expect(head.CacheControl).toBeUndefined();
    expect(head.ContentDisposition).toBeUndefined();
  });

  it('CopyObject fires ObjectCreated:Copy', async () => {
    const b = await bucket();
    await put(b, 'src', 'x');
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'dst', CopySource: `${b}/src` }));
    expect((await aws.createdUntil(b, 'dst')).map((e) => `${e.eventName} ${e.key}`)).toEqual(['ObjectCreated:Put src', 'ObjectCreated:Copy dst']);
  });
});

describe('HeadObject and GetObject', () => {
  it('PutObject keeps Expires (HeadObject answers it)', async () => {
    const b = await bucket();
    const Expires = new Date('2031-02-03T04:05:06Z');
    await put(b, 'k', 'x', { Expires });
    expect((await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' }))).Expires).toEqual(Expires);
  });

  it('HeadObject If-Match with another ETag answers 412', async () => {
    const b = await bucket();
    await put(b, 'k', 'x');
    const error = await rejection(aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', IfMatch: '"0123456789abcdef0123456789abcdef"' })));
    expect(error.$metadata?.httpStatusCode).toBe(412);
  });

  it('HeadObject If-None-Match with the current ETag answers 304 Not Modified', async () => {
    const b = await bucket();
    const { ETag } = await put(b, 'k', 'x');
    const error = await rejection(aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', IfNoneMatch: ETag })));
    expect(error.$metadata?.httpStatusCode).toBe(304);
  });

  it('HeadObject with Range answers 206 and the length of the range', async () => {
    const b = await bucket();
    await put(b, 'k', '0123456789');
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', Range: 'bytes=2-5' }));
    expect(head.$metadata.httpStatusCode).toBe(206);
    expect(head.ContentLength).toBe(4);
    expect(head.ContentRange).toBe('bytes 2-5/10');
  });

  it('GetObject with Range answers 206 and those bytes', async () => {
    const b = await bucket();
    await put(b, 'k', '0123456789');
    const got = await aws.s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', Range: 'bytes=2-5' }));
    expect(got.$metadata.httpStatusCode).toBe(206);
    expect(await got.Body?.transformToString()).toBe('2345');
  });

  it('GetObject of a missing key answers NoSuchKey; of a missing bucket NoSuchBucket', async () => {
    const b = await bucket();
    expect((await rejection(aws.s3.send(new GetObjectCommand({ Bucket: b, Key: 'missing' })))).name).toBe('NoSuchKey');
    expect((await rejection(aws.s3.send(new GetObjectCommand({ Bucket: `${b}-none`, Key: 'k' })))).name).toBe('NoSuchBucket');
  });

  it('keys with spaces, unicode and slashes round-trip (ListObjectsV2 with prefix and delimiter)', async () => {
    const b = await bucket();
    await put(b, 'dir/a file ü.txt', 'x');
    await put(b, 'dir/sub/b', 'y');
    const list = await aws.s3.send(new ListObjectsV2Command({ Bucket: b, Prefix: 'dir/', Delimiter: '/' }));
    expect(list.Contents?.map((c) => c.Key)).toEqual(['dir/a file ü.txt']);
    expect(list.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/sub/']);
    expect(await body(b, 'dir/a file ü.txt')).toBe('x');
  });

  it('DeleteObjects deletes the keys it names and reports them', async () => {
    const b = await bucket();
    await put(b, 'a', '1');
    await put(b, 'b', '2');
    const out = await aws.s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'a' }] } }));
    expect(out.Deleted?.map((d) => d.Key)).toEqual(['a']);
    expect((await aws.s3.send(new ListObjectsV2Command({ Bucket: b }))).Contents?.map((c) => c.Key)).toEqual(['b']);
  });
});

describe('what worker code reads back', () => {
  it('user metadata with non-ASCII characters comes back RFC 2047-encoded (=?UTF-8?B?...?=), as S3 returns it, not re-decoded as Latin-1', async () => {
    const b = await bucket();
    await put(b, 'k', 'x', { Metadata: { name: 'café', plain: 'ascii only' } });
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' }));
    expect(head.Metadata).toEqual({ name: `=?UTF-8?B?${Buffer.from('café').toString('base64')}?=`, plain: 'ascii only' });
  });

  it.each([
    ['no content encoding of its own', undefined, undefined],
    ['gzip', 'gzip', 'gzip'],
  ])('a streamed (aws-chunked) PutObject with %s stores its Content-Encoding without aws-chunked', async (_label, ContentEncoding, stored) => {
    const b = await bucket();
    await aws.s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: Readable.from([Buffer.from('streamed bytes')]), ContentLength: 14, ContentEncoding }));
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' }));
    expect({ encoding: head.ContentEncoding, length: head.ContentLength }).toEqual({ encoding: stored, length: 14 });
    expect(await body(b, 'k')).toBe('streamed bytes');
  });

  it.each(['gzip, aws-chunked', 'gzip,AWS-CHUNKED'])('PutObject and CopyObject with Content-Encoding %s store gzip: aws-chunked is framing, not the object\'s encoding', async (ContentEncoding) => {
    const b = await bucket();
    await put(b, 'k', 'x', { ContentEncoding });
    await aws.s3.send(new CopyObjectCommand({ Bucket: b, Key: 'copy', CopySource: `${b}/k`, MetadataDirective: 'REPLACE', ContentEncoding }));
    const heads = await Promise.all(['k', 'copy'].map((Key) => aws.s3.send(new HeadObjectCommand({ Bucket: b, Key }))));
    expect(heads.map((head) => head.ContentEncoding)).toEqual(['gzip', 'gzip']);
  });

  it.each([
    ['ChecksumCRC32', 'CRC32', 'AAAAAA=='],
    ['ChecksumSHA256', 'SHA256', Buffer.alloc(32).toString('base64')],
    ['ChecksumSHA1', 'SHA1', Buffer.alloc(20).toString('base64')],
  ])('PutObject with a %s that does not match the body answers 400 BadDigest and writes nothing', async (field, algorithm, value) => {
    const b = await bucket();
    const error = await rejection(put(b, 'k', 'the body', { [field]: value }));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }).toEqual({
      name: 'BadDigest',
      status: 400,
      message: `The ${algorithm} you specified did not match the calculated checksum.`,
    });
    expect((await rejection(aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k' })))).name).toBe('NotFound');
  });

  it.each(['CRC32C', 'CRC64NVME'] as const)('a write with a %s checksum, which the local AWS cannot compute, is refused with 501 NotImplemented (not stored under a checksum of another algorithm)', async (algorithm) => {
    const b = await bucket();
    const put1 = await rejection(put(b, 'k', 'the body', { ChecksumAlgorithm: algorithm }));
    const upload = await rejection(aws.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'mp', ChecksumAlgorithm: algorithm })));
    expect([put1, upload].map((error) => ({ name: error.name, status: error.$metadata?.httpStatusCode }))).toEqual([
      { name: 'NotImplemented', status: 501 },
      { name: 'NotImplemented', status: 501 },
    ]);
  });

  it('PutObject with a matching checksum stores it: HeadObject ChecksumMode ENABLED and GetObjectAttributes answer it', async () => {
    const b = await bucket();
    const crc = (await put(b, 'k', 'the body', { ChecksumAlgorithm: 'CRC32' })).ChecksumCRC32;
    expect(crc).toBeTruthy();
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: b, Key: 'k', ChecksumMode: 'ENABLED' }));
    expect({ crc: head.ChecksumCRC32, type: head.ChecksumType }).toEqual({ crc, type: 'FULL_OBJECT' });
    const attributes = await aws.s3.send(new GetObjectAttributesCommand({ Bucket: b, Key: 'k', ObjectAttributes: ['ETag', 'Checksum', 'ObjectSize', 'StorageClass'] }));
    expect({ etag: attributes.ETag, crc: attributes.Checksum?.ChecksumCRC32, type: attributes.Checksum?.ChecksumType, size: attributes.ObjectSize, storage: attributes.StorageClass, modified: attributes.LastModified instanceof Date }).toEqual({
      etag: createHash('md5').update('the body').digest('hex'),
      crc,
      type: 'FULL_OBJECT',
      size: 8,
      storage: 'STANDARD',
      modified: true,
    });
  });

  it('GetObjectAttributes ObjectParts of a multipart object answers its TotalPartsCount', async () => {
    const b = await bucket();
    const { UploadId } = await aws.s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'mp' }));
    const one = await aws.s3.send(new UploadPartCommand({ Bucket: b, Key: 'mp', UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 'a') }));
    const two = await aws.s3.send(new UploadPartCommand({ Bucket: b, Key: 'mp', UploadId, PartNumber: 2, Body: 'tail' }));
    await aws.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: b, Key: 'mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: one.ETag }, { PartNumber: 2, ETag: two.ETag }] } }),
    );
    const attributes = await aws.s3.send(new GetObjectAttributesCommand({ Bucket: b, Key: 'mp', ObjectAttributes: ['ObjectParts', 'ObjectSize'] }));
    expect({ parts: attributes.ObjectParts?.TotalPartsCount, size: attributes.ObjectSize }).toEqual({ parts: 2, size: 5 * 1024 * 1024 + 4 });
  });

  it('ListObjectVersions paging goes on after the marker version was deleted', async () => {
    const b = await bucket();
    await aws.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    for (const key of ['a', 'b', 'c']) await put(b, key, key);
    const first = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: b, MaxKeys: 1 }));
    expect(first.Versions?.map((v) => v.Key)).toEqual(['a']);
    await aws.s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'a', VersionId: first.NextVersionIdMarker }));
    const next = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: b, KeyMarker: first.NextKeyMarker, VersionIdMarker: first.NextVersionIdMarker }));
    expect(next.Versions?.map((v) => v.Key)).toEqual(['b', 'c']);
  });

  it('ListObjectVersions with only a KeyMarker starts after that key', async () => {
    const b = await bucket();
    await aws.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    for (const key of ['a', 'a', 'b']) await put(b, key, key);
    const next = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: b, KeyMarker: 'a' }));
    expect(next.Versions?.map((v) => v.Key)).toEqual(['b']);
  });

  it('DeleteObjects of a delete marker by its version id answers DeleteMarker true and DeleteMarkerVersionId', async () => {
    const b = await bucket();
    await aws.s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    await put(b, 'k', 'x');
    const marked = await aws.s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'k' }] } }));
    const markerId = marked.Deleted?.[0]?.DeleteMarkerVersionId;
    expect({ marker: marked.Deleted?.[0]?.DeleteMarker, id: typeof markerId }).toEqual({ marker: true, id: 'string' });
    const removed = await aws.s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'k', VersionId: markerId }] } }));
    expect(removed.Deleted).toEqual([{ Key: 'k', VersionId: markerId, DeleteMarker: true, DeleteMarkerVersionId: markerId }]);
  });

  it('GetObjectRetention answers the retention an object was put with', async () => {
    const b = unique('conf-lock').toLowerCase();
    await aws.s3.send(new CreateBucketCommand({ Bucket: b, ObjectLockEnabledForBucket: true }));
    const until = new Date('2031-01-01T00:00:00Z');
    await put(b, 'k', 'x', { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ChecksumAlgorithm: 'CRC32' });
    const { Retention } = await aws.s3.send(new GetObjectRetentionCommand({ Bucket: b, Key: 'k' }));
    expect(Retention).toEqual({ Mode: 'GOVERNANCE', RetainUntilDate: until });
  });

  it('GetObjectRetention of an object without retention answers 404 NoSuchObjectLockConfiguration', async () => {
    const b = unique('conf-lock').toLowerCase();
    await aws.s3.send(new CreateBucketCommand({ Bucket: b, ObjectLockEnabledForBucket: true }));
    await put(b, 'k', 'x');
    const error = await rejection(aws.s3.send(new GetObjectRetentionCommand({ Bucket: b, Key: 'k' })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'NoSuchObjectLockConfiguration', status: 404 });
  });

  it('GetObjectRetention in a bucket without Object Lock answers 400 InvalidRequest', async () => {
    const b = await bucket();
    await put(b, 'k', 'x');
    const error = await rejection(aws.s3.send(new GetObjectRetentionCommand({ Bucket: b, Key: 'k' })));
    expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: 'InvalidRequest', status: 400 });
  });
});

describe('buckets provisioned from the template', () => {
  it('GetBucketNotificationConfiguration of a source bucket answers its Lambda notification: the function ARN, events and key filter of the template', async () => {
    const name = unique('conf-source').toLowerCase();
    const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:copier`;
    // As Serverless packages an `s3` event with `existing: false` (the bucket is the stack's).
    const template = {
      Resources: {
        CopierLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'copier' } },
        Source: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: name,
            NotificationConfiguration: {
              LambdaConfigurations: [
                { Event: 's3:ObjectCreated:*', Function: { 'Fn::GetAtt': ['CopierLambdaFunction', 'Arn'] }, Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }] } } },
              ],
            },
          },
        },
      },
    };
    const plan = planFromTemplate(template, { region: REGION, accountId: ACCOUNT, sqsEndpoint: aws.endpoint });
    await provision({ s3: aws.s3, sqs: aws.sqs, sns: aws.sns } as unknown as LocalClients, plan);
    const stored = await aws.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: name }));
    expect(
      stored.LambdaFunctionConfigurations?.map(({ LambdaFunctionArn, Events, Filter }) => ({
        LambdaFunctionArn,
        Events,
        rules: Filter?.Key?.FilterRules?.map((rule) => [rule.Name?.toLowerCase(), rule.Value]),
      })),
    ).toEqual([{ LambdaFunctionArn: functionArn, Events: ['s3:ObjectCreated:*'], rules: [['prefix', 'incoming/']] }]);
  });
});
