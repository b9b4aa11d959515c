import { InvalidAddress, MessageNotInflight, PurgeQueueInProgress, QueueDoesNotExist, ReceiptHandleIsInvalid, UnsupportedOperation } from '@aws-sdk/client-sqs';
import {
  isConnectionRefused,
  isNotADeadLetterQueue,
  isPurgeInProgress,
  isQueueMissing,
  isReceiptHandleRejected,
  isUnsupportedAction,
  missingAwsSetup,
} from '../../../cli/queue/aws-errors';

const $metadata = { httpStatusCode: 400 };
/** An error as the SDK builds it for an error code it has no class for. */
const serviceError = (name: string, message: string, httpStatusCode = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

describe('isQueueMissing', () => {
  it('knows the JSON and the query protocol codes', () => {
    expect(isQueueMissing(new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata }))).toBe(true);
    expect(isQueueMissing(serviceError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.'))).toBe(true);
  });

  it('is false for other errors', () => {
    expect(isQueueMissing(new Error('socket hang up'))).toBe(false);
  });
});

describe('isReceiptHandleRejected', () => {
  it.each([
    new ReceiptHandleIsInvalid({ message: 'The input receipt handle is invalid.', $metadata }),
    new MessageNotInflight({ message: 'The message referred to is not in flight.', $metadata }),
    serviceError('InvalidParameterValue', 'Value x for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.'),
  ])('counts %p', (error) => {
    expect(isReceiptHandleRejected(error)).toBe(true);
  });

  it('does not count a missing queue', () => {
    expect(isReceiptHandleRejected(new QueueDoesNotExist({ message: 'gone', $metadata }))).toBe(false);
  });
});

describe('isUnsupportedAction', () => {
  it('counts an action the service does not know (the emulator)', () => {
    expect(isUnsupportedAction(serviceError('InvalidAction', 'Unknown action: StartMessageMoveTask'))).toBe(true);
  });

  it('counts SQS UnsupportedOperation', () => {
    expect(isUnsupportedAction(new UnsupportedOperation({ message: 'Unsupported operation.', $metadata }))).toBe(true);
  });

  it('counts a 4xx whose message says the operation is not supported', () => {
    expect(isUnsupportedAction(serviceError('UnknownError', 'Operation StartMessageMoveTask is not supported', 501))).toBe(true);
  });

  it.each([
    serviceError('AccessDenied', 'User is not authorized to perform sqs:StartMessageMoveTask', 403),
    serviceError('RequestThrottled', 'Rate exceeded'),
    new InvalidAddress({ message: 'The specified ID is invalid.', $metadata }),
    serviceError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.'),
    new Error('connect ECONNREFUSED 127.0.0.1:4566'),
  ])('does not count real failures: %p', (error) => {
    expect(isUnsupportedAction(error)).toBe(false);
  });
});

describe('isPurgeInProgress', () => {
  it('recognises PurgeQueueInProgress', () => {
    expect(isPurgeInProgress(new PurgeQueueInProgress({ message: 'Only one PurgeQueue operation is allowed every 60 seconds.', $metadata }))).toBe(true);
  });
});

describe('isNotADeadLetterQueue', () => {
  it('recognises StartMessageMoveTask refusing a queue no queue uses as its DLQ', () => {
    expect(isNotADeadLetterQueue(serviceError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.'))).toBe(true);
  });

  it('leaves other bad parameters and other codes alone', () => {
    expect(isNotADeadLetterQueue(serviceError('InvalidParameterValue', 'Value for parameter MaxResults is invalid.'))).toBe(false);
    expect(isNotADeadLetterQueue(serviceError('ResourceNotFoundException', 'Source queue must be configured as a Dead Letter Queue.'))).toBe(false);
  });
});

describe('missingAwsSetup', () => {
  it('recognises a missing region and missing credentials', () => {
    expect(missingAwsSetup(new Error('Region is missing'))).toBe('no AWS region');
    expect(missingAwsSetup(serviceError('CredentialsProviderError', 'Could not load credentials from any providers'))).toBe('no AWS credentials');
  });

  it('leaves other errors alone', () => {
    expect(missingAwsSetup(new Error('socket hang up'))).toBeUndefined();
  });
});

describe('isConnectionRefused', () => {
  it('recognises a refused connection (the local AWS is not running)', () => {
    expect(isConnectionRefused(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionRefused(new Error('timeout'))).toBe(false);
  });
});
