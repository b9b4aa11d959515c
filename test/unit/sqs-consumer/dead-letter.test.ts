import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { logger } from '../../../handlers/platform/logger';
import { processBatch } from '../../../handlers/sqs-consumer/process-batch';
import { canaryEnvironment } from '../support/job-environment';
import { lambdaContext } from '../support/lambda-context';
import { sqsEvent, sqsRecord } from '../support/sqs';

logger.setLogLevel('SILENT');

const sns = new SNSClient({ region: 'us-east-1' });
const snsMock = mockClient(sns);
const environment = { ...canaryEnvironment, clients: { sns } as never, config: { ...canaryEnvironment.config, maxReceiveCount: 3 } };
const canary = (messageId: string, receiveCount: number, job: Record<string, unknown> = { alwaysFail: true }) =>
  sqsRecord({ messageId, body: { type: 'canary', id: `job-${messageId}`, ...job }, receiveCount });

beforeEach(() => {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'published' });
});

const announced = () => snsMock.commandCalls(PublishCommand).map((call) => JSON.parse(JSON.parse(call.args[0].input.Message ?? '{}').sqs) as Record<string, unknown>);

describe('a job failing on its last receive', () => {
  it('is announced as job-dead-lettered with its queue, type, id, attempts and reason', async () => {
    const response = await processBatch(sqsEvent([canary('m-3', 3)]), lambdaContext(), environment);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-3' }]);
    expect(announced()).toEqual([
      expect.objectContaining({
        type: 'job-dead-lettered',
        source: 'sqsConsumer',
        severity: 'warning',
        queue: 'messaging-workers-local-work',
        messageId: 'm-3',
        jobType: 'canary',
        jobId: 'job-m-3',
        receiveCount: 3,
        reason: 'Canary told to always fail',
      }),
    ]);
  });

  it('is not announced on earlier receives, nor when it succeeds', async () => {
    await processBatch(sqsEvent([canary('m-1', 1), canary('m-2', 2), canary('ok', 3, {})]), lambdaContext(), environment);

    expect(announced()).toEqual([]);
  });

  it('is still reported failed when the announcement cannot be published', async () => {
    snsMock.on(PublishCommand).rejects(new Error('SNS down'));

    const response = await processBatch(sqsEvent([canary('m-3', 3)]), lambdaContext(), environment);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-3' }]);
  });
});
