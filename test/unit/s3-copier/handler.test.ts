import type * as S3 from '@aws-sdk/client-s3';
import type * as Sns from '@aws-sdk/client-sns';
import type { S3Event } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { readEvent } from '../support/events';
import { lambdaContext } from '../support/lambda-context';

type Handler = (event: unknown, context: unknown) => Promise<{ copied: number }>;

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:messaging-workers-test-notifications';
const context = lambdaContext({ functionName: 'messaging-workers-test-s3Copier' });
let s3Mock: AwsClientStub<S3.S3Client>;
let snsMock: AwsClientStub<Sns.SNSClient>;
let commands: { CopyObjectCommand: typeof S3.CopyObjectCommand; PublishCommand: typeof Sns.PublishCommand };

/** The handler in a module registry of its own, with S3 and SNS faked at the client boundary. */
async function loadHandler(): Promise<Handler> {
  Object.assign(process.env, { AWS_REGION: 'us-east-1', DEST_BUCKET: 'messaging-workers-test-destination-local', NOTIFICATIONS_TOPIC_ARN: TOPIC, POWERTOOLS_LOG_LEVEL: 'SILENT' });
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    const s3 = await import('@aws-sdk/client-s3');
    const sns = await import('@aws-sdk/client-sns');
    commands = { CopyObjectCommand: s3.CopyObjectCommand, PublishCommand: sns.PublishCommand };
    s3Mock = mockClient(s3.S3Client);
    snsMock = mockClient(sns.SNSClient);
    snsMock.on(sns.PublishCommand).resolves({ MessageId: 'published-1' });
    handler = (await import('../../../handlers/s3-copier/handler')).handler as unknown as Handler;
  });
  if (!handler) throw new Error('handler not loaded');
  return handler;
}

afterEach(() => {
  s3Mock.restore();
  snsMock.restore();
  for (const key of ['DEST_BUCKET', 'NOTIFICATIONS_TOPIC_ARN', 'POWERTOOLS_LOG_LEVEL']) delete process.env[key];
});

const published = () =>
  snsMock.commandCalls(commands.PublishCommand).map((call) => {
    const { MessageAttributes, Message, TopicArn } = call.args[0].input;
    return { topic: TopicArn, eventType: MessageAttributes?.eventType?.StringValue, notification: JSON.parse(JSON.parse(Message ?? '{}').lambda) as Record<string, unknown> };
  });

describe('s3Copier handler', () => {
  it('announces each copied object on the notifications topic', async () => {
    const handler = await loadHandler();
    s3Mock.on(commands.CopyObjectCommand).resolves({ CopyObjectResult: { ETag: '"abc"' } });

    const result = await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);

    expect(result).toEqual({ copied: 1 });
    expect(published()).toEqual([
      {
        topic: TOPIC,
        eventType: 'object-copied',
        notification: expect.objectContaining({
          source: 's3Copier',
          sourceBucket: 'messaging-workers-local-source-local',
          destinationBucket: 'messaging-workers-test-destination-local',
          key: 'reports/my file 中文.txt',
          eTag: '"abc"',
        }),
      },
    ]);
  });

  it('announces a failed copy with its reason and fails the invocation', async () => {
    const handler = await loadHandler();
    s3Mock.on(commands.CopyObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));

    await expect(handler(readEvent<S3Event>('s3-put-unicode-key.json'), context)).rejects.toMatchObject({ name: 'CopyFailedError' });
    expect(published()).toEqual([
      { topic: TOPIC, eventType: 'copy-failed', notification: expect.objectContaining({ key: 'reports/my file 中文.txt', reason: 'The specified key does not exist.', severity: 'warning' }) },
    ]);
  });

  it('gives a redelivered event\'s notification the same id', async () => {
    const handler = await loadHandler();
    s3Mock.on(commands.CopyObjectCommand).resolves({});

    await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);
    await handler(readEvent<S3Event>('s3-put-unicode-key.json'), context);

    const [first, second] = published().map((p) => p.notification.id);
    expect(first).toBeDefined();
    expect(second).toBe(first);
  });

  it('fails the invocation when the announcement cannot be published, so the event is retried', async () => {
    const handler = await loadHandler();
    s3Mock.on(commands.CopyObjectCommand).resolves({});
    snsMock.on(commands.PublishCommand).rejects(Object.assign(new Error('Topic gone'), { name: 'NotFoundException' }));

    await expect(handler(readEvent<S3Event>('s3-put-unicode-key.json'), context)).rejects.toMatchObject({ name: 'CopyFailedError', failedKeys: ['reports/my file 中文.txt'] });
  });
});
