import { PublishCommand } from '@aws-sdk/client-sns';
import { publishNotification } from '../../handlers/domain/notifications/publish';
import { eventually, logLines, names, sns, uniqueId } from '../support/local-aws';

describe('the notifications topic', () => {
  it('runs snsNotifier for a published notification, with its subject and fields', async () => {
    const title = uniqueId('disk-full');

    const { messageId } = await publishNotification(sns, names.topicArn, {
      title,
      message: '/var is 91% full',
      severity: 'warning',
      source: 'integration-test',
    });

    const line = await eventually(() =>
      logLines().find((entry) => entry.message === 'Notification received' && entry.messageId === messageId),
    );
    expect(line).toMatchObject({
      function_name: names.function('snsNotifier'),
      subject: `[warning] ${title}`,
      severity: 'warning',
      notification: { title, message: '/var is 91% full', source: 'integration-test' },
    });
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

    const notifierLines = logLines().filter(
      (entry) => entry.messageId === job.MessageId && entry.function_name === names.function('snsNotifier'),
    );
    expect(notifierLines).toEqual([]);
  });

  it('runs a publish-notification job end to end: job via SNS, consumer publishes, notifier reports', async () => {
    const title = uniqueId('chained');

    await sns.send(
      new PublishCommand({
        TopicArn: names.topicArn,
        Message: JSON.stringify({ type: 'publish-notification', id: title, notification: { title, message: 'from a job' } }),
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'job' } },
      }),
    );

    const reported = await eventually(() =>
      logLines().find(
        (entry) => entry.message === 'Notification received' && (entry.notification as { title?: string } | undefined)?.title === title,
      ),
    );
    expect(reported).toMatchObject({ notification: { message: 'from a job', details: { notificationId: title } } });
  });
});
