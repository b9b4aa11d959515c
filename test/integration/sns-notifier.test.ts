import { InvokeCommand } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { NOTIFICATION_TYPES, type NotificationDraft, type NotificationType } from '../../handlers/domain/notifications/notification';
import { deduplicationIdOf, publishNotification } from '../../handlers/domain/notifications/publish';
import { collectJobIds } from '../support/queues';
import { toS3Event } from '../../local-aws/s3-notifications';
import { eventually, lambda, type LogLine, logLines, names, queueUrl, s3, sns, sqs, uniqueId } from '../support/local-aws';

const ALARMS_TOPIC = names.topicArn.replace(/-notifications$/, '-alarms');
const AUDIT_QUEUE = 'messaging-workers-test-audit';
/** The audit queue's filter policy (resources/topics.yml): the changes the workers made. */
const AUDITED: readonly NotificationType[] = ['object-copied', 'instances-started', 'instances-stopped', 'volumes-cleaned-up'];

/** A valid draft of each type, with a unique id. */
function draftOf(type: NotificationType, id: string): NotificationDraft {
  const drafts: Record<NotificationType, NotificationDraft> = {
    'object-copied': { type: 'object-copied', id, sourceBucket: names.sourceBucket, destinationBucket: names.destinationBucket, key: `${id}.txt` },
    'copy-failed': { type: 'copy-failed', id, sourceBucket: names.sourceBucket, destinationBucket: names.destinationBucket, key: `${id}.txt`, reason: 'denied' },
    'instances-started': { type: 'instances-started', id, instanceIds: ['i-0123456789abcdef0'] },
    'instances-stopped': { type: 'instances-stopped', id, instanceIds: ['i-0123456789abcdef0'] },
    'instances-failed': { type: 'instances-failed', id, action: 'stop', instanceIds: ['i-0123456789abcdef0'], reason: 'UnauthorizedOperation' },
    'volumes-cleaned-up': { type: 'volumes-cleaned-up', id, volumeIds: ['vol-0123456789abcdef0'] },
    'scheduler-run': { type: 'scheduler-run', id, action: 'reconcile', dryRun: false, title: 'EC2 scheduler reconcile: stop 1', text: 'Stopped (1): i-0123456789abcdef0', started: [], stopped: ['i-0123456789abcdef0'], retained: [], failed: [], unknownSchedule: [] },
    'volumes-report': { type: 'volumes-report', id, dryRun: true, title: 'EBS housekeeping: 1 unattached volume', text: 'vol-0123456789abcdef0 8 GiB gp3', monthlyCostUsd: 0.64, unattached: [{ volumeId: 'vol-0123456789abcdef0', sizeGiB: 8, volumeType: 'gp3', monthlyCostUsd: 0.64 }], deleted: [], failed: [] },
    'job-dead-lettered': { type: 'job-dead-lettered', id, queue: names.workQueue, messageId: 'm-1', receiveCount: 2, reason: 'boom' },
    'alarm-raised': { type: 'alarm-raised', id, alarmName: 'a', state: 'ALARM', reason: 'threshold crossed' },
  };
  return { ...drafts[type], source: 'integration-test' };
}

const notifierLine = (predicate: (line: LogLine) => boolean) => () =>
  logLines().find((line) => line.message === 'Notification received' && line.function_name === names.function('snsNotifier') && predicate(line));

/** Ids of the notifications on the audit queue (received and hidden, never deleted). */
const audited = new Set<string>();

describe('the notifications topic', () => {
  it('delivers each notification type to exactly the subscribers whose filter policy matches', async () => {
    const run = uniqueId('route');
    const ids = Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, `${run}-${type}`])) as Record<NotificationType, string>;

    for (const type of NOTIFICATION_TYPES) await publishNotification(sns, names.topicArn, draftOf(type, ids[type]));

    for (const type of NOTIFICATION_TYPES) {
      const line = await eventually(notifierLine((entry) => entry.notificationId === ids[type]));
      expect(line).toMatchObject({ eventType: type, source: 'integration-test' });
    }
    const auditUrl = await queueUrl(AUDIT_QUEUE);
    await eventually(async () => AUDITED.every((type) => audited.has(ids[type])) || (await collectJobIds(sqs, auditUrl, audited), false));
    await collectJobIds(sqs, auditUrl, audited); // anything else delivered is on the queue by now (SNS -> SQS is synchronous here)
    expect(NOTIFICATION_TYPES.filter((type) => audited.has(ids[type]))).toEqual(AUDITED);
    // Had a notification reached the work queue, sqsConsumer would have failed it as an unknown job type.
    const consumerSaw = logLines().filter(
      (line) => line.function_name === names.function('sqsConsumer') && NOTIFICATION_TYPES.some((type) => String(line.reason).startsWith(`Unknown job type "${type}"`)),
    );
    expect(consumerSaw).toEqual([]);
  });

  it('gives the audit queue the raw notification JSON with its attributes', async () => {
    const id = uniqueId('raw');
    await publishNotification(sns, names.topicArn, draftOf('volumes-cleaned-up', id));

    const auditUrl = await queueUrl(AUDIT_QUEUE);
    const message = await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: auditUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 600, MessageAttributeNames: ['All'] }));
      for (const m of Messages) audited.add((JSON.parse(m.Body ?? '{}') as { id?: string }).id ?? '');
      return Messages.find((m) => m.Body?.includes(id));
    });
    expect(JSON.parse(message.Body ?? '')).toMatchObject({ type: 'volumes-cleaned-up', id, volumeIds: ['vol-0123456789abcdef0'] });
    expect(message.MessageAttributes?.eventType?.StringValue).toBe('volumes-cleaned-up');
  });

  it('fans a job out to the work queue, where sqsConsumer runs it unwrapped from the SNS envelope', async () => {
    const jobId = uniqueId('fan-out');

    await sns.send(
      new PublishCommand({
        TopicArn: names.topicArn,
        Message: JSON.stringify({ type: 'canary', id: jobId }),
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'job' } },
      }),
    );

    const done = await eventually(() => logLines().find((entry) => entry.message === 'Job done' && entry.jobId === jobId));
    expect(done).toMatchObject({ function_name: names.function('sqsConsumer'), via: 'sns', jobType: 'canary' });
  });

  it('does not deliver job messages to snsNotifier (its filter policy takes only notifications)', async () => {
    const jobId = uniqueId('filtered-job');

    const job = await sns.send(
      new PublishCommand({
        TopicArn: names.topicArn,
        Message: JSON.stringify({ type: 'canary', id: jobId }),
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'job' } },
      }),
    );
    await eventually(() => logLines().find((entry) => entry.message === 'Job done' && entry.jobId === jobId));
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const notifierLines = logLines().filter((entry) => entry.messageId === job.MessageId && entry.function_name === names.function('snsNotifier'));
    expect(notifierLines).toEqual([]);
  });

  it('runs a publish-notification job end to end: job via SNS, consumer publishes, notifier reports', async () => {
    const id = uniqueId('chained');

    await sns.send(
      new PublishCommand({
        TopicArn: names.topicArn,
        Message: JSON.stringify({ type: 'publish-notification', id, notification: { type: 'instances-stopped', instanceIds: ['i-0fedcba987654321'] } }),
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'job' } },
      }),
    );

    const reported = await eventually(notifierLine((entry) => entry.notificationId === id));
    expect(reported).toMatchObject({ eventType: 'instances-stopped', source: 'sqsConsumer', text: expect.stringContaining('i-0fedcba987654321') });
  });

  it('logs a message that is not a notification as rejected, naming why', async () => {
    const published = await sns.send(
      new PublishCommand({ TopicArn: names.topicArn, Message: 'Disk almost full!', MessageAttributes: { kind: { DataType: 'String', StringValue: 'notification' } } }),
    );

    const line = await eventually(() => logLines().find((entry) => entry.message === 'Notification rejected' && entry.messageId === published.MessageId));
    expect(line).toMatchObject({ level: 'ERROR', reason: 'not-json', function_name: names.function('snsNotifier') });
  });
});

describe('a FIFO notifications topic', () => {
  it('keeps the group and deduplication ids: a republished notification reaches a FIFO queue once, in its group', async () => {
    const name = uniqueId('messaging-workers-test-fifo');
    const { TopicArn = '' } = await sns.send(new CreateTopicCommand({ Name: `${name}.fifo`, Attributes: { FifoTopic: 'true' } }));
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}.fifo`, Attributes: { FifoQueue: 'true' } }));
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:${name}.fifo`, Attributes: { RawMessageDelivery: 'true' } }),
    );
    const draft = draftOf('instances-stopped', uniqueId('fifo'));

    const first = await publishNotification(sns, TopicArn, draft);
    await publishNotification(sns, TopicArn, draft);

    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'] }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages[0]?.Attributes).toMatchObject({ MessageGroupId: 'integration-test', MessageDeduplicationId: deduplicationIdOf(first.notification) });
    expect(JSON.parse(Messages[0]?.Body ?? '{}')).toMatchObject({ type: 'instances-stopped', id: draft.id });
  });
});

describe('the alarms topic', () => {
  it('reaches snsNotifier, which reads the CloudWatch alarm as alarm-raised', async () => {
    const alarmName = uniqueId('alarm');

    const published = await sns.send(
      new PublishCommand({
        TopicArn: ALARMS_TOPIC,
        Subject: `ALARM: "${alarmName}"`,
        Message: JSON.stringify({
          AlarmName: alarmName,
          AlarmDescription: 'Messages reached the work dead-letter queue.',
          NewStateValue: 'ALARM',
          NewStateReason: 'Threshold Crossed: 1 datapoint [1.0] was greater than the threshold (0.0).',
          OldStateValue: 'OK',
          StateChangeTime: '2025-03-14T09:41:07.352+0000',
          Region: 'US East (N. Virginia)',
        }),
      }),
    );

    const line = await eventually(notifierLine((entry) => entry.messageId === published.MessageId));
    expect(line).toMatchObject({ eventType: 'alarm-raised', severity: 'critical', source: 'cloudwatch', text: expect.stringContaining(`Alarm ${alarmName} is ALARM`) });
  });
});

describe('each worker announces what it did', () => {
  it('s3Copier: a put in the source bucket is copied and announced as object-copied, to the notifier and the audit queue', async () => {
    const key = `${uniqueId('announced')}/my file 中文.txt`;

    await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: 'hello' }));

    const line = await eventually(notifierLine((entry) => entry.eventType === 'object-copied' && String(entry.text).includes(key)));
    expect(line).toMatchObject({ source: 's3Copier', severity: 'info' });
    const auditUrl = await queueUrl(AUDIT_QUEUE);
    await eventually(async () => (await collectJobIds(sqs, auditUrl, audited)).has(String(line.notificationId)));
  });

  it('s3Copier: a copy that fails is announced as copy-failed with its reason', async () => {
    const key = uniqueId('missing');
    // The event S3 would send for a put of `key` (which is gone by the time the copier runs).
    const event = toS3Event({ bucket: names.sourceBucket, key, eventName: 'ObjectCreated:Put', sourceIp: '127.0.0.1' }, { size: 5, eTag: 'd41d8cd98f00b204e9800998ecf8427e' }, 'us-east-1', '0067D3F5DD8A2B1C4E');

    const output = await lambda.send(new InvokeCommand({ FunctionName: names.function('s3Copier'), Payload: JSON.stringify(event) }));

    // The source does not exist: announced, but not a failed invocation (retrying cannot bring it back).
    expect(output.FunctionError).toBeUndefined();
    const line = await eventually(notifierLine((entry) => entry.eventType === 'copy-failed' && String(entry.text).includes(key)));
    expect(line).toMatchObject({ source: 's3Copier', severity: 'warning' });
  });

  it('sqsConsumer: a job failing its last receive reaches the DLQ and is announced as job-dead-lettered', async () => {
    const jobId = uniqueId('poison');

    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl(names.workQueue), MessageBody: JSON.stringify({ type: 'canary', id: jobId, alwaysFail: true }) }));

    const line = await eventually(notifierLine((entry) => entry.eventType === 'job-dead-lettered' && String(entry.text).includes(jobId)), 90_000);
    expect(line).toMatchObject({ source: 'sqsConsumer', severity: 'warning', text: expect.stringContaining('failed 2 times on messaging-workers-test-work') });
    const dlqUrl = await queueUrl(names.workDlq);
    await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
      return Messages.some((m) => m.Body?.includes(jobId));
    }, 60_000);
  }, 180_000);
});
