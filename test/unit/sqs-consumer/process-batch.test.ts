import type { SQSEvent } from 'aws-lambda';
import { InvalidEventError } from '../../../handlers/platform/errors';
import { logger } from '../../../handlers/platform/logger';
import { processBatch } from '../../../handlers/sqs-consumer/process-batch';
import { readEvent } from '../support/events';
import { canaryEnvironment } from '../support/job-environment';
import { lambdaContext } from '../support/lambda-context';
import { FIFO_QUEUE_ARN, sqsEvent, sqsRecord } from '../support/sqs';

// Each failed record logs an error on purpose; keep the test output readable.
logger.setLogLevel('SILENT');

const canary = (messageId: string, job: Record<string, unknown> = {}, receiveCount = 1) =>
  sqsRecord({ messageId, body: { type: 'canary', id: messageId, ...job }, receiveCount });

const fifoCanary = (messageId: string, messageGroupId: string, job: Record<string, unknown> = {}) =>
  sqsRecord({ messageId, body: { type: 'canary', id: messageId, ...job }, queueArn: FIFO_QUEUE_ARN, messageGroupId });

const failedIds = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier);

describe('processBatch on a standard queue', () => {
  it('reports exactly the failed message ids', async () => {
    const event = readEvent<SQSEvent>('sqs-standard-batch.json');

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '8f2c1d3e-4a5b-4c6d-8e7f-9a0b1c2d3e03' }] });
  });

  it('reports no failure when every job succeeds', async () => {
    const event = sqsEvent([canary('ok-1'), canary('ok-2'), canary('ok-3')]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('reports every id, without throwing, when every job fails', async () => {
    const event = sqsEvent([canary('bad-1', { alwaysFail: true }), canary('bad-2', { alwaysFail: true })]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(failedIds(response).sort()).toEqual(['bad-1', 'bad-2']);
  });

  it('fails a malformed record alone', async () => {
    const event = sqsEvent([canary('ok-1'), sqsRecord({ messageId: 'garbage', body: '{not json' }), canary('ok-2')]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(failedIds(response)).toEqual(['garbage']);
  });

  it('fails a record of an unknown job type alone', async () => {
    const event = sqsEvent([canary('ok-1'), sqsRecord({ messageId: 'unknown', body: { type: 'send-fax' } })]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(failedIds(response)).toEqual(['unknown']);
  });

  it('answers an empty batch with no failures', async () => {
    const event = sqsEvent([]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(response).toEqual({ batchItemFailures: [] });
  });
});

describe('processBatch with the receive count', () => {
  it('fails a canary told to fail until a later attempt', async () => {
    const event = sqsEvent([canary('retry-me', { failUntilAttempt: 3 }, 2)]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(failedIds(response)).toEqual(['retry-me']);
  });

  it('runs a canary told to fail until this attempt', async () => {
    const event = sqsEvent([canary('retry-me', { failUntilAttempt: 3 }, 3)]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(failedIds(response)).toEqual([]);
  });
});

describe('processBatch on a FIFO queue', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reports the failed record and the later records of its group, and only those', async () => {
    const event = readEvent<SQSEvent>('sqs-fifo-batch.json');

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(failedIds(response)).toEqual(['3b7e9d21-5c4a-4f6b-9d8e-0a1b2c3d4e02', '3b7e9d21-5c4a-4f6b-9d8e-0a1b2c3d4e04']);
  });

  it('reports a later record of the failed group even though its job would succeed', async () => {
    const event = sqsEvent([fifoCanary('a1', 'group-a', { alwaysFail: true }), fifoCanary('a2', 'group-a')]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(failedIds(response)).toEqual(['a1', 'a2']);
  });

  it('does not run the later records of a failed group', async () => {
    // a2 would fail differently if it ran: unknown job type, logged as its own error.
    const event = sqsEvent([
      fifoCanary('a1', 'group-a', { alwaysFail: true }),
      sqsRecord({ messageId: 'a2', body: { type: 'send-fax' }, queueArn: FIFO_QUEUE_ARN, messageGroupId: 'group-a' }),
    ]);
    const errors = jest.spyOn(logger, 'error');

    await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(errors.mock.calls.map(([, extra]) => (extra as { messageId?: string }).messageId)).toEqual(['a1']);
  });

  it('runs the records of the other groups after a failure', async () => {
    const event = sqsEvent([
      fifoCanary('a1', 'group-a', { alwaysFail: true }),
      fifoCanary('b1', 'group-b'),
      fifoCanary('a2', 'group-a'),
      fifoCanary('b2', 'group-b'),
    ]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(failedIds(response)).toEqual(['a1', 'a2']);
  });

  it('reports no failure when every job of every group succeeds', async () => {
    const event = sqsEvent([fifoCanary('a1', 'group-a'), fifoCanary('b1', 'group-b'), fifoCanary('a2', 'group-a')]);

    const response = await processBatch(event, lambdaContext(), canaryEnvironment);

    expect(response).toEqual({ batchItemFailures: [] });
  });
});

describe('processBatch with an event that is not an SQS batch', () => {
  it('rejects an empty object with InvalidEventError', async () => {
    const event = {};

    await expect(processBatch(event, lambdaContext(), canaryEnvironment)).rejects.toThrow(InvalidEventError);
  });

  it('rejects an S3 notification with InvalidEventError', async () => {
    const event = readEvent('s3-put-unicode-key.json');

    await expect(processBatch(event, lambdaContext(), canaryEnvironment)).rejects.toThrow(InvalidEventError);
  });
});
