import { MessageNotInflight, QueueDoesNotExist, ReceiptHandleIsInvalid } from '@aws-sdk/client-sqs';
import { sqs } from '../../../cli/queue/client';
import { deleteMessage } from '../../../cli/queue/delete';
import { ConfirmationRequiredError, ReceiptHandleError } from '../../../cli/queue/errors';
import { checkPurgeConfirmed } from '../../../cli/queue/purge';

// The local emulator accepts any receipt handle (as SQS does for some): SQS's refusals are faked here.
const queue = { name: 'messaging-workers-local-work', url: 'http://127.0.0.1:4566/000000000000/messaging-workers-local-work' };
const $metadata = { httpStatusCode: 400 };

describe('deleteMessage', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    new ReceiptHandleIsInvalid({ message: 'The input receipt handle "garbage" is not a valid receipt handle.', $metadata }),
    new MessageNotInflight({ message: 'The message referred to is not in flight.', $metadata }),
  ])('turns a refused receipt handle into a ReceiptHandleError (exit 2)', async (refusal) => {
    jest.spyOn(sqs(), 'send').mockImplementation(() => Promise.reject(refusal));

    const error = await deleteMessage(queue, 'garbage').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ReceiptHandleError);
    expect((error as ReceiptHandleError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(/^receipt handle is invalid or expired: receive the message again/);
  });

  it('lets other failures through as they are', async () => {
    const missing = new QueueDoesNotExist({ message: 'gone', $metadata });
    jest.spyOn(sqs(), 'send').mockImplementation(() => Promise.reject(missing));

    await expect(deleteMessage(queue, 'handle')).rejects.toBe(missing);
  });
});

describe('checkPurgeConfirmed', () => {
  it('purges a local stage without asking', () => {
    expect(() => checkPurgeConfirmed('q', { name: 'local', local: true }, false)).not.toThrow();
  });

  it('needs --yes on a deployed stage', () => {
    expect(() => checkPurgeConfirmed('q', { name: 'prod', local: false }, false)).toThrow(ConfirmationRequiredError);
    expect(() => checkPurgeConfirmed('q', { name: 'prod', local: false }, true)).not.toThrow();
  });
});
