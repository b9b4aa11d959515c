import { createHash } from 'node:crypto';
import { SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { S3Event, SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { NOTIFICATION_TYPES, type Notification } from '../../../handlers/domain/notifications/notification';
import { notificationAttributes } from '../../../handlers/domain/notifications/publish';
import { subjectFor } from '../../../handlers/domain/notifications/render';
import { parseSchedulerEvent } from '../../../handlers/ec2-scheduler/event';
import { parseS3Event } from '../../../handlers/s3-copier/event';
import { parseSnsEvent } from '../../../handlers/sns-notifier/event';
import { parseRecord } from '../../../handlers/sqs-consumer/event';
import { readEvent } from '../support/events';

/**
 * The sample events in events/ are what `sls invoke local -p` and the tests feed the functions;
 * these checks keep them in the shape AWS sends and meaning what their names say.
 */
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

describe('events/s3-put-unicode-key.json', () => {
  it('is an S3 notification of one Put whose key decodes to the stored key', () => {
    const event = readEvent('s3-put-unicode-key.json');

    const { objects } = parseS3Event(event, 'messaging-workers-local-source-local');

    expect(objects).toEqual([
      {
        bucket: 'messaging-workers-local-source-local',
        key: 'reports/my file 中文.txt',
        versionId: undefined,
        eventName: 'ObjectCreated:Put',
        sequencer: '0067D3F5DD8A2B1C4E',
      },
    ]);
  });
});

const LOCAL_SOURCE = 'messaging-workers-local-source-local';

describe('events/s3-put-awkward-keys.json', () => {
  it('names keys with spaces, Chinese letters, +, =, %, (, &, ?, # and an emoji, which decode to the stored keys', () => {
    const { objects, rejected } = parseS3Event(readEvent('s3-put-awkward-keys.json'), LOCAL_SOURCE);

    expect(rejected).toEqual([]);
    expect(objects.map(({ key }) => key)).toEqual(['spaces and 中文/季度 报告.txt', 'c++/a+b=c.txt', '100% done (final) & signed.txt', 'why?/#1 😀.txt']);
  });
});

describe('events/s3-complete-multipart-upload.json', () => {
  it('is a versioned object over 5 GiB created by a multipart upload', () => {
    const event = readEvent<S3Event>('s3-complete-multipart-upload.json');

    const { objects } = parseS3Event(event, LOCAL_SOURCE);

    expect(objects).toEqual([expect.objectContaining({ key: 'videos/2026/launch keynote.mp4', eventName: 'ObjectCreated:CompleteMultipartUpload', versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' })]);
    expect(event.Records[0]?.s3.object.size).toBeGreaterThan(5 * 1024 ** 3);
  });
});

describe('events/s3-record-of-another-bucket.json', () => {
  it('holds one record of the source bucket and one of another bucket, which is refused', () => {
    const { objects, rejected } = parseS3Event(readEvent('s3-record-of-another-bucket.json'), LOCAL_SOURCE);

    expect(objects.map(({ key }) => key)).toEqual(['reports/mine.csv']);
    expect(rejected).toEqual([{ index: 1, reason: `object of bucket someone-elses-bucket, not of the source bucket ${LOCAL_SOURCE}` }]);
  });
});

describe('events/s3-test-event.json', () => {
  it('is S3\'s test event: nothing to copy, nothing refused', () => {
    expect(parseS3Event(readEvent('s3-test-event.json'), LOCAL_SOURCE)).toEqual({ objects: [], rejected: [] });
  });
});

describe.each(NOTIFICATION_TYPES.map((type) => [type]))('events/sns-%s.json', (type) => {
  it('is an SNS event of one notification of that type, with the attributes the publish helper sets', () => {
    const event = readEvent<SNSEvent>(`sns-${type}.json`);

    const [received, ...others] = parseSnsEvent(event);

    expect(others).toEqual([]);
    expect(received?.error).toBeUndefined();
    expect(received?.notification?.type).toBe(type);
    const attributes = Object.fromEntries(Object.entries(event.Records[0]?.Sns.MessageAttributes ?? {}).map(([name, value]) => [name, value.Value]));
    expect(attributes).toEqual(
      Object.fromEntries(Object.entries(notificationAttributes(received?.notification as Notification)).map(([name, value]) => [name, value.StringValue])),
    );
  });

  it('has the subject the publish helper gives it', () => {
    const event = readEvent<SNSEvent>(`sns-${type}.json`);

    const [received] = parseSnsEvent(event);

    expect(event.Records[0]?.Sns.Subject).toBe(subjectFor(received?.notification as Notification));
  });
});

describe('events/sns-cloudwatch-alarm.json', () => {
  it('is a CloudWatch alarm on the alarms topic, read as an alarm-raised notification', () => {
    const event = readEvent('sns-cloudwatch-alarm.json');

    const [received] = parseSnsEvent(event);

    expect(received?.topicArn).toBe('arn:aws:sns:us-east-1:000000000000:messaging-workers-local-alarms');
    expect(received?.notification).toMatchObject({
      type: 'alarm-raised',
      alarmName: 'messaging-workers-local-AsyncFailuresQueueNotEmptyAlarm',
      state: 'ALARM',
      previousState: 'OK',
      severity: 'critical',
      source: 'cloudwatch',
      occurredAt: '2025-03-14T09:41:07.352Z',
    });
  });
});

describe.each(['sqs-standard-batch.json', 'sqs-fifo-batch.json'])('events/%s', (name) => {
  it('is an SQS event as Lambda delivers it', () => {
    const event = readEvent(name);

    const result = SqsSchema.safeParse(event);

    expect(result.error?.issues).toBeUndefined();
  });

  it('carries the MD5 of each body', () => {
    const event = readEvent<SQSEvent>(name);

    const mismatched = event.Records.filter((record) => record.md5OfBody !== md5(record.body));

    expect(mismatched).toEqual([]);
  });

  it('has a distinct message id on every record', () => {
    const event = readEvent<SQSEvent>(name);

    const ids = new Set(event.Records.map((record) => record.messageId));

    expect(ids.size).toBe(event.Records.length);
  });
});

describe('events/sqs-standard-batch.json', () => {
  const records = () => readEvent<SQSEvent>('sqs-standard-batch.json').Records;

  it('comes from the standard work queue', () => {
    const sources = new Set(records().map((record) => record.eventSourceARN));

    expect([...sources]).toEqual(['arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work']);
  });

  it('holds a direct job, a job through SNS and a poison job, in that order', () => {
    const parsed = records().map((record) => parseRecord(record));

    expect(parsed).toEqual([
      { job: { type: 'canary', id: 'direct-ok' }, via: 'sqs' },
      { job: { type: 'canary', id: 'via-sns' }, via: 'sns' },
      { job: { type: 'canary', id: 'poison', alwaysFail: true }, via: 'sqs' },
    ]);
  });

  it('wraps the SNS job in a complete envelope from the notifications topic, marked as a job', () => {
    const body = JSON.parse(records()[1]?.body ?? '') as unknown;

    const envelope = SnsSqsNotificationSchema.parse(body);

    expect(envelope).toMatchObject({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:messaging-workers-local-notifications',
      MessageAttributes: { kind: { Type: 'String', Value: 'job' } },
      SignatureVersion: '1',
    });
  });
});

describe('events/sqs-fifo-batch.json', () => {
  const records = () => readEvent<SQSEvent>('sqs-fifo-batch.json').Records;
  const summary = (record: SQSRecord) => ({ group: record.attributes.MessageGroupId, job: parseRecord(record).job });

  it('comes from the FIFO work queue', () => {
    const sources = new Set(records().map((record) => record.eventSourceARN));

    expect([...sources]).toEqual(['arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work.fifo']);
  });

  it('holds a1, a failing a2 and a3 in group-a, and b1 in group-b', () => {
    const byGroup = records().map(summary);

    expect(byGroup).toEqual([
      { group: 'group-a', job: { type: 'canary', id: 'a1' } },
      { group: 'group-a', job: { type: 'canary', id: 'a2', alwaysFail: true } },
      { group: 'group-b', job: { type: 'canary', id: 'b1' } },
      { group: 'group-a', job: { type: 'canary', id: 'a3' } },
    ]);
  });

  it('gives every record a deduplication id and increasing sequence numbers', () => {
    const attributes = records().map((record) => record.attributes);

    const sequence = attributes.map((a) => BigInt(a.SequenceNumber ?? '0'));

    expect(attributes.every((a) => (a.MessageDeduplicationId ?? '') !== '')).toBe(true);
    expect(sequence.every((n, i) => i === 0 || n > (sequence[i - 1] ?? 0n))).toBe(true);
  });
});

describe('events/ec2-*.json', () => {
  it.each([
    ['ec2-reconcile.json', { action: 'reconcile' }],
    ['ec2-reconcile-dry-run.json', { action: 'reconcile', dryRun: true }],
    ['ec2-stop-tagged.json', { action: 'stop', tag: { key: 'Environment', value: 'dev' } }],
    ['ec2-start-schedule.json', { action: 'start', schedule: 'office-hours' }],
  ])('%s is a valid scheduler request', (name, expected) => {
    const event = readEvent(name);

    const parsed = parseSchedulerEvent(event);

    expect(parsed).toEqual(expected);
  });
});
