import { decodeS3EventKey } from '../../../handlers/s3-copier/event';
import type { LocalPlan } from '../../../local-aws/plan';
import { encodeS3EventKey, matchesNotification } from '../../../local-aws/s3-notifications';

type BucketNotification = LocalPlan['bucketNotifications'][number];

const SOURCE = 'messaging-workers-local-source-local';
const notification = (overrides: Partial<BucketNotification> = {}): BucketNotification => ({
  bucket: SOURCE,
  functionName: 'messaging-workers-local-s3Copier',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:messaging-workers-local-s3Copier',
  events: ['s3:ObjectCreated:*'],
  ...overrides,
});

describe('encodeS3EventKey', () => {
  it('encodes a key the way S3 puts it in the notification', () => {
    const key = 'reports/my file 中文.txt';

    const encoded = encodeS3EventKey(key);

    expect(encoded).toBe('reports/my+file+%E4%B8%AD%E6%96%87.txt');
  });

  it('encodes a literal plus sign so it cannot be read as a space', () => {
    const encoded = encodeS3EventKey('c++.txt');

    expect(encoded).toBe('c%2B%2B.txt');
  });

  it.each([
    ['spaces', 'my file name.txt'],
    ['non-ASCII letters', '中文/ファイル é.txt'],
    ['plus signs', 'a+b + c.txt'],
    ['percent signs', '100% done %41.txt'],
    ['nested slashes', 'a/b/c/d.txt'],
    ['everything at once', 'reports/2025 Q1/50%+ 中文 (final).txt'],
  ])('round-trips a key with %s through decodeS3EventKey', (_case, key) => {
    const encoded = encodeS3EventKey(key);

    const decoded = decodeS3EventKey(encoded);

    expect(decoded).toBe(key);
  });
});

describe('matchesNotification', () => {
  it.each(['ObjectCreated:Put', 'ObjectCreated:Copy', 'ObjectCreated:CompleteMultipartUpload', 'ObjectCreated:Post'] as const)(
    'matches %s to s3:ObjectCreated:*',
    (eventName) => {
      const created = { bucket: SOURCE, key: 'a.txt', eventName };

      const matches = matchesNotification(notification(), created);

      expect(matches).toBe(true);
    },
  );

  it('matches the specific event it names', () => {
    const created = { bucket: SOURCE, key: 'a.txt', eventName: 'ObjectCreated:Put' } as const;

    const matches = matchesNotification(notification({ events: ['s3:ObjectCreated:Put'] }), created);

    expect(matches).toBe(true);
  });

  it('does not match another specific event', () => {
    const created = { bucket: SOURCE, key: 'a.txt', eventName: 'ObjectCreated:Copy' } as const;

    const matches = matchesNotification(notification({ events: ['s3:ObjectCreated:Put'] }), created);

    expect(matches).toBe(false);
  });

  it('does not match an object created in another bucket', () => {
    const created = { bucket: 'another-bucket', key: 'a.txt', eventName: 'ObjectCreated:Put' } as const;

    const matches = matchesNotification(notification(), created);

    expect(matches).toBe(false);
  });

  it('matches a key with the configured prefix and suffix', () => {
    const created = { bucket: SOURCE, key: 'reports/q1.csv', eventName: 'ObjectCreated:Put' } as const;

    const matches = matchesNotification(notification({ prefix: 'reports/', suffix: '.csv' }), created);

    expect(matches).toBe(true);
  });

  it('does not match a key without the configured prefix', () => {
    const created = { bucket: SOURCE, key: 'images/q1.csv', eventName: 'ObjectCreated:Put' } as const;

    const matches = matchesNotification(notification({ prefix: 'reports/' }), created);

    expect(matches).toBe(false);
  });

  it('does not match a key without the configured suffix', () => {
    const created = { bucket: SOURCE, key: 'reports/q1.json', eventName: 'ObjectCreated:Put' } as const;

    const matches = matchesNotification(notification({ suffix: '.csv' }), created);

    expect(matches).toBe(false);
  });
});
