import { isS3Request, objectCreatedBy } from '../../../local-aws/s3-proxy';

const signed = (service: string) => `AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

describe('isS3Request', () => {
  it('goes by the service of the signature', () => {
    expect(isS3Request({ method: 'POST', url: '/', headers: { authorization: signed('s3') } })).toBe(true);
    expect(isS3Request({ method: 'PUT', url: '/bucket/key', headers: { authorization: signed('sqs') } })).toBe(false);
    expect(isS3Request({ method: 'POST', url: '/', headers: { authorization: signed('sns') } })).toBe(false);
  });

  it('goes by the credential of a presigned URL', () => {
    expect(isS3Request({ method: 'GET', url: '/b/k?X-Amz-Credential=local%2F20260101%2Fus-east-1%2Fs3%2Faws4_request', headers: {} })).toBe(true);
  });

  it('SigV2 (header or presigned URL) is S3, whatever the path: fauxqs would serve it from an S3 store of its own', () => {
    expect(isS3Request({ method: 'PUT', url: '/bucket/key', headers: { authorization: 'AWS local:c2ln' } })).toBe(true);
    expect(isS3Request({ method: 'GET', url: '/', headers: { authorization: 'AWS local:c2ln' } })).toBe(true);
    expect(isS3Request({ method: 'GET', url: '/b/k?AWSAccessKeyId=local&Expires=1&Signature=c2ln', headers: {} })).toBe(true);
  });

  it('an AWS JSON request (X-Amz-Target) without a SigV4 signature stays with fauxqs', () => {
    expect(isS3Request({ method: 'POST', url: '/queue', headers: { 'x-amz-target': 'AmazonSQS.SendMessage' } })).toBe(false);
  });

  it('without a signature: fauxqs keeps POST / (SQS, SNS), its health and inspection routes; the rest is S3', () => {
    expect(isS3Request({ method: 'POST', url: '/', headers: {} })).toBe(false);
    expect(isS3Request({ method: 'GET', url: '/health', headers: {} })).toBe(false);
    expect(isS3Request({ method: 'GET', url: '/_fauxqs/queues', headers: {} })).toBe(false);
    expect(isS3Request({ method: 'GET', url: '/bucket/key', headers: {} })).toBe(true);
  });
});

describe('objectCreatedBy', () => {
  it('PutObject and CopyObject create the object named by the decoded path', () => {
    expect(objectCreatedBy('PUT', '/bucket/dir/a%20b%C3%BC?x-id=PutObject', {})).toEqual({ bucket: 'bucket', key: 'dir/a bü', eventName: 'ObjectCreated:Put' });
    expect(objectCreatedBy('PUT', '/bucket/k?x-id=CopyObject', { 'x-amz-copy-source': 'bucket/src' })).toEqual({ bucket: 'bucket', key: 'k', eventName: 'ObjectCreated:Copy' });
  });

  it('CompleteMultipartUpload creates; parts, sub-resources and buckets do not', () => {
    expect(objectCreatedBy('POST', '/bucket/k?uploadId=abc', {})).toEqual({ bucket: 'bucket', key: 'k', eventName: 'ObjectCreated:CompleteMultipartUpload' });
    expect(objectCreatedBy('PUT', '/bucket/k?partNumber=1&uploadId=abc&x-id=UploadPart', {})).toBeUndefined();
    expect(objectCreatedBy('PUT', '/bucket/k?tagging', {})).toBeUndefined();
    expect(objectCreatedBy('PUT', '/bucket/k?acl', {})).toBeUndefined();
    expect(objectCreatedBy('POST', '/bucket/k?uploads', {})).toBeUndefined();
    expect(objectCreatedBy('PUT', '/bucket', {})).toBeUndefined();
    expect(objectCreatedBy('PUT', '/bucket/', {})).toBeUndefined();
  });
});
