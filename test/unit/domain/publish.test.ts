import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { deduplicationIdOf, NotificationTooLargeError, publishNotification } from '../../../handlers/domain/notifications/publish';

const sns = new SNSClient({ region: 'us-east-1' });
const snsMock = mockClient(sns);
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:messaging-workers-test-notifications';
const FIFO_TOPIC = `${TOPIC}.fifo`;

beforeEach(() => {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
});

const sentInput = (): Partial<PublishCommandInput> => {
  const calls = snsMock.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  return calls[0]?.args[0].input ?? {};
};

describe('publishNotification', () => {
  it('publishes one message per protocol with MessageStructure json and a subject', async () => {
    await publishNotification(sns, TOPIC, { type: 'instances-started', id: 'n-1', source: 'ec2Scheduler', instanceIds: ['i-1'] });

    const input = sentInput();
    expect(input).toMatchObject({ TopicArn: TOPIC, MessageStructure: 'json', Subject: '[info] 1 instance started' });
    const structure = JSON.parse(input.Message ?? '') as Record<string, string>;
    expect(Object.keys(structure).sort()).toEqual(['default', 'email', 'email-json', 'http', 'https', 'lambda', 'sms', 'sqs']);
    expect(JSON.parse(structure.lambda ?? '')).toMatchObject({ type: 'instances-started', id: 'n-1', instanceIds: ['i-1'] });
  });

  it('sets kind, eventType, severity and source as message attributes for filter policies', async () => {
    await publishNotification(sns, TOPIC, { type: 'copy-failed', source: 's3Copier', sourceBucket: 'src-b', destinationBucket: 'dst-b', key: 'k', reason: 'denied' });

    expect(sentInput().MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'notification' },
      eventType: { DataType: 'String', StringValue: 'copy-failed' },
      severity: { DataType: 'String', StringValue: 'warning' },
      source: { DataType: 'String', StringValue: 's3Copier' },
    });
  });

  it('returns the SNS message id and the completed notification', async () => {
    const published = await publishNotification(sns, TOPIC, { type: 'volumes-cleaned-up', volumeIds: ['vol-1'] });

    expect(published).toMatchObject({ messageId: 'sns-message-1', notification: { type: 'volumes-cleaned-up', severity: 'info', source: 'messaging-workers' } });
  });

  it('sets no group or deduplication id on a standard topic', async () => {
    await publishNotification(sns, TOPIC, { type: 'volumes-cleaned-up', volumeIds: ['vol-1'] });

    const input = sentInput();
    expect([input.MessageGroupId, input.MessageDeduplicationId]).toEqual([undefined, undefined]);
  });

  it('on a FIFO topic groups by source and deduplicates by the notification id', async () => {
    const { notification } = await publishNotification(sns, FIFO_TOPIC, { type: 'volumes-cleaned-up', id: 'same id', source: 'ec2Scheduler', volumeIds: ['vol-1'] });

    const input = sentInput();
    expect(input.MessageGroupId).toBe('ec2Scheduler');
    expect(input.MessageDeduplicationId).toBe(deduplicationIdOf(notification));
    expect(input.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('on a FIFO topic takes the group the caller names', async () => {
    await publishNotification(sns, FIFO_TOPIC, { type: 'volumes-cleaned-up', volumeIds: ['vol-1'] }, { messageGroupId: 'volumes' });

    expect(sentInput().MessageGroupId).toBe('volumes');
  });

  it('gives a republished notification the same deduplication id', async () => {
    await publishNotification(sns, FIFO_TOPIC, { type: 'instances-stopped', id: 'run-42', instanceIds: ['i-1'] });
    await publishNotification(sns, FIFO_TOPIC, { type: 'instances-stopped', id: 'run-42', instanceIds: ['i-1'] });

    const ids = snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input.MessageDeduplicationId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('refuses a notification that renders over 256 KiB, without publishing', async () => {
    const volumeIds = Array.from({ length: 1000 }, (_, i) => `vol-${String(i).padStart(60, '0')}`);

    await expect(publishNotification(sns, TOPIC, { type: 'volumes-cleaned-up', volumeIds })).rejects.toThrow(NotificationTooLargeError);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('refuses an invalid draft, without publishing', async () => {
    await expect(publishNotification(sns, TOPIC, { type: 'instances-failed', action: 'reboot' } as never)).rejects.toThrow();
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
