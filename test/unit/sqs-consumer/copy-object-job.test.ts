import { HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { logger } from '../../../handlers/platform/logger';
import { processBatch } from '../../../handlers/sqs-consumer/process-batch';
import { canaryEnvironment } from '../support/job-environment';
import { lambdaContext } from '../support/lambda-context';
import { sqsEvent, sqsRecord } from '../support/sqs';

logger.setLogLevel('SILENT');

const s3 = new S3Client({ region: 'us-east-1' });
const sns = new SNSClient({ region: 'us-east-1' });
const s3Mock = mockClient(s3);
const snsMock = mockClient(sns);
const environment = { ...canaryEnvironment, clients: { s3: async () => s3, sns: async () => sns } };
const copyJob = (messageId: string, receiveCount = 1) =>
  sqsRecord({ messageId, body: { type: 'copy-object', bucket: 'uploads-bucket', key: 'reports/q1 中.pdf' }, receiveCount });
const notFound = () => new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } });

beforeEach(() => {
  s3Mock.reset();
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'published' });
});

const announced = () => snsMock.commandCalls(PublishCommand).map((call) => JSON.parse(JSON.parse(call.args[0].input.Message ?? '{}').sqs) as Record<string, unknown>);

describe('the copy-object job when the source object is missing', () => {
  it('is done on its first receive (not retried until the dead-letter queue) and announced as copy-failed', async () => {
    s3Mock.on(HeadObjectCommand).rejects(notFound());

    const response = await processBatch(sqsEvent([copyJob('gone-1')]), lambdaContext(), environment);

    expect(response.batchItemFailures).toEqual([]);
    expect(announced()).toEqual([
      expect.objectContaining({
        type: 'copy-failed',
        severity: 'warning',
        sourceBucket: 'uploads-bucket',
        destinationBucket: canaryEnvironment.config.copy.destinationBucket,
        key: 'reports/q1 中.pdf',
        reason: 'The source object no longer exists: s3://uploads-bucket/reports/q1 中.pdf',
      }),
    ]);
  });

  it('is announced under the same id when the message is delivered again', async () => {
    s3Mock.on(HeadObjectCommand).rejects(notFound());

    await processBatch(sqsEvent([copyJob('gone-2', 1)]), lambdaContext(), environment);
    await processBatch(sqsEvent([copyJob('gone-2', 2)]), lambdaContext(), environment);

    const ids = announced().map((notification) => notification.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });

  it('is done even when the announcement cannot be published', async () => {
    s3Mock.on(HeadObjectCommand).rejects(notFound());
    snsMock.on(PublishCommand).rejects(new Error('SNS down'));

    const response = await processBatch(sqsEvent([copyJob('gone-3')]), lambdaContext(), environment);

    expect(response.batchItemFailures).toEqual([]);
  });

  it('other copy failures still fail the record, so it is retried', async () => {
    s3Mock.on(HeadObjectCommand).rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 } }));

    const response = await processBatch(sqsEvent([copyJob('slow-1')]), lambdaContext(), environment);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'slow-1' }]);
    expect(announced()).toEqual([]);
  });
});
