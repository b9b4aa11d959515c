import type { S3Event } from 'aws-lambda';
import { parseS3Event } from '../../../handlers/s3-copier/event';
import { InvalidEventError } from '../../../handlers/platform/errors';
import { thrownBy } from '../support/errors';
import { readEvent } from '../support/events';

const SOURCE = 'messaging-workers-local-source-local';

describe('parseS3Event', () => {
  it('returns each created object with its key decoded', () => {
    const event = readEvent<S3Event>('s3-put-unicode-key.json');

    const { objects, rejected } = parseS3Event(event, SOURCE);

    expect(objects).toEqual([
      {
        bucket: SOURCE,
        key: 'reports/my file 中文.txt',
        versionId: undefined,
        eventName: 'ObjectCreated:Put',
        sequencer: '0067D3F5DD8A2B1C4E',
      },
    ]);
    expect(rejected).toEqual([]);
  });

  it('passes on the version id of a versioned object', () => {
    const event = readEvent<S3Event>('s3-put-unicode-key.json');
    const record = event.Records[0];
    if (!record) throw new Error('fixture has no record');
    record.s3.object.versionId = '096fKKXTRTtl3on89fVO.nfljtsv6qko';

    const { objects } = parseS3Event(event, SOURCE);

    expect(objects[0]?.versionId).toBe('096fKKXTRTtl3on89fVO.nfljtsv6qko');
  });

  it.each(['2001:db8::24', '2600:1f18:243c:d400:ab12:cd34:ef56:7890', 's3.amazonaws.com', '203.0.113.24'])('accepts a record sent from %s (dual-stack endpoints report IPv6)', (address) => {
    const event = readEvent<S3Event>('s3-put-unicode-key.json');
    const record = event.Records[0];
    if (!record) throw new Error('fixture has no record');
    record.requestParameters.sourceIPAddress = address;

    const { objects, rejected } = parseS3Event(event, SOURCE);

    expect([objects.length, rejected]).toEqual([1, []]);
  });

  it('rejects an event with no Records with InvalidEventError naming what is missing', () => {
    const error = thrownBy(() => parseS3Event({ detail: {} }, SOURCE));

    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues).toEqual([expect.stringMatching(/^Records: /)]);
  });

  it('rejects an event whose Records list is empty', () => {
    const error = thrownBy(() => parseS3Event({ Records: [] }, SOURCE));

    expect((error as InvalidEventError).issues).toEqual(['Records: must hold at least one record']);
  });

  it('refuses a record of another trigger as that record\'s failure, keeping the S3 records', () => {
    const s3Record = readEvent<S3Event>('s3-put-unicode-key.json').Records[0];
    const sqsRecord = readEvent<{ Records: unknown[] }>('sqs-standard-batch.json').Records[0];

    const { objects, rejected } = parseS3Event({ Records: [sqsRecord, s3Record] }, SOURCE);

    expect(objects.map(({ key }) => key)).toEqual(['reports/my file 中文.txt']);
    expect(rejected).toEqual([{ index: 0, reason: expect.stringMatching(/^not an S3 event record: /) }]);
  });

  it('refuses a record of another bucket, naming both buckets', () => {
    const event = readEvent<S3Event>('s3-put-unicode-key.json');

    const { objects, rejected } = parseS3Event(event, 'some-other-bucket');

    expect(objects).toEqual([]);
    expect(rejected).toEqual([{ index: 0, reason: `object of bucket ${SOURCE}, not of the source bucket some-other-bucket` }]);
  });

  it('refuses a record that is not an ObjectCreated event', () => {
    const event = readEvent<S3Event>('s3-put-unicode-key.json');
    const record = event.Records[0];
    if (!record) throw new Error('fixture has no record');
    record.eventName = 'ObjectRemoved:Delete';

    const { rejected } = parseS3Event(event, SOURCE);

    expect(rejected).toEqual([{ index: 0, reason: 'not an ObjectCreated event: ObjectRemoved:Delete' }]);
  });

  it('finds nothing to copy and nothing wrong in S3\'s test event', () => {
    const event = { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-26T07:00:00.000Z', Bucket: SOURCE, RequestId: 'R', HostId: 'H' };

    const parsed = parseS3Event(event, SOURCE);

    expect(parsed).toEqual({ objects: [], rejected: [] });
  });
});
