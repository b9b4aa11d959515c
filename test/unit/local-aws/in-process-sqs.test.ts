import { inProcessQueueAccess } from '../../../local-aws/in-process-sqs';

/** A stand-in for fauxqs's `sqsAction` that records each call and answers what a test gives it. */
function recordingAction(answer: (action: string, body: Record<string, unknown>) => Promise<unknown>) {
  const calls: { action: string; body: Record<string, unknown> }[] = [];
  const sqsAction = (action: string, body: Record<string, unknown>) => {
    calls.push({ action, body });
    return answer(action, body);
  };
  return { calls, sqsAction };
}

const queueUrl = 'http://127.0.0.1:4566/000000000000/work';

describe('inProcessQueueAccess.receive', () => {
  it('asks the ReceiveMessage handler for every attribute, at most 10 messages, with the wait given', async () => {
    const { calls, sqsAction } = recordingAction(async () => ({}));

    const messages = await inProcessQueueAccess(sqsAction).receive(queueUrl, 25, 20, new AbortController().signal);

    expect(messages).toEqual([]);
    expect(calls).toEqual([
      {
        action: 'ReceiveMessage',
        body: { QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] },
      },
    ]);
  });

  it('hands binary attribute values over as bytes, as the SDK decodes the JSON protocol', async () => {
    const bytes = Buffer.from([0, 1, 2, 250]);
    const { sqsAction } = recordingAction(async () => ({
      Messages: [
        {
          MessageId: 'm-1',
          ReceiptHandle: 'r-1',
          Body: '{}',
          Attributes: { ApproximateReceiveCount: '2' },
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'copy' },
            blob: { DataType: 'Binary', BinaryValue: bytes.toString('base64') },
            list: { DataType: 'Binary', BinaryListValues: [bytes.toString('base64')] },
          },
        },
      ],
    }));

    const [message] = await inProcessQueueAccess(sqsAction).receive(queueUrl, 10, 0, new AbortController().signal);

    expect(message?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    expect(message?.MessageAttributes?.kind).toEqual({ DataType: 'String', StringValue: 'copy' });
    expect(Buffer.from(message?.MessageAttributes?.blob?.BinaryValue ?? [])).toEqual(bytes);
    expect(Buffer.from(message?.MessageAttributes?.list?.BinaryListValues?.[0] ?? [])).toEqual(bytes);
  });

  it('stops waiting with no messages once the poller aborts, while a long poll is still open', async () => {
    const { sqsAction } = recordingAction(() => new Promise(() => undefined));
    const abort = new AbortController();

    const receiving = inProcessQueueAccess(sqsAction).receive(queueUrl, 10, 20, abort.signal);
    abort.abort();

    await expect(receiving).resolves.toEqual([]);
  });

  it('passes on the error the API handler throws (a queue that is gone)', async () => {
    const { sqsAction } = recordingAction(async () => {
      throw new Error('The specified queue does not exist.');
    });

    await expect(inProcessQueueAccess(sqsAction).receive(queueUrl, 10, 0, new AbortController().signal)).rejects.toThrow('does not exist');
  });
});

describe('inProcessQueueAccess.deleteBatch', () => {
  it('runs DeleteMessageBatch with the entries and returns the failed ones', async () => {
    const failed = [{ Id: '1', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'not a valid receipt handle' }];
    const { calls, sqsAction } = recordingAction(async () => ({ Successful: [{ Id: '0' }], Failed: failed }));
    const entries = [
      { Id: '0', ReceiptHandle: 'r-0' },
      { Id: '1', ReceiptHandle: 'made-up' },
    ];

    const failures = await inProcessQueueAccess(sqsAction).deleteBatch(queueUrl, entries);

    expect(failures).toEqual(failed);
    expect(calls).toEqual([{ action: 'DeleteMessageBatch', body: { QueueUrl: queueUrl, Entries: entries } }]);
  });
});
