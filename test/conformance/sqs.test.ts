/**
 * SQS as the Amazon SQS API Reference documents it, through the real SDK v3 client against the
 * local AWS. Each test names the action and the documented answer.
 */
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { LocalClients } from '../../local-aws/clients';
import type { LocalPlan } from '../../local-aws/plan';
import { provision } from '../../local-aws/provision';
import { ACCOUNT, type ConformanceAws, REGION, rejection, startConformanceAws, unique } from './local-aws';

let aws: ConformanceAws;
beforeAll(async () => {
  aws = await startConformanceAws();
});
afterAll(async () => {
  await aws?.stop();
});

async function queue(name = unique('q'), Attributes: Record<string, string> = {}): Promise<{ url: string; arn: string; name: string }> {
  const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return { url: QueueUrl ?? '', arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`, name };
}

const depth = async (url: string) =>
  Number((await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages);

describe('queue URLs', () => {
  it('CreateQueue answers a URL on the endpoint the client used', async () => {
    const q = await queue();
    expect(q.url).toBe(`${aws.endpoint}/${ACCOUNT}/${q.name}`);
  });
});

const counts = async (url: string) => {
  const { Attributes = {} } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { visible: Number(Attributes.ApproximateNumberOfMessages), notVisible: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
};

/** Waits until the queue's approximate counts are `wanted` (a visibility timeout running out, seen through GetQueueAttributes). */
async function countsBecome(url: string, wanted: { visible: number; notVisible: number }): Promise<void> {
  // Only bounds a failing test: a 1-second visibility timeout normally ends within ~1 s.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const now = await counts(url);
    if (now.visible === wanted.visible && now.notVisible === wanted.notVisible) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await counts(url)).toEqual(wanted);
}

describe('approximate counts', () => {
  it('ApproximateNumberOfMessagesNotVisible drops and ApproximateNumberOfMessages rises as soon as a visibility timeout ends, without another receive', async () => {
    const q = await queue();
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'm' }));
    await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, VisibilityTimeout: 1 }));
    expect(await counts(q.url)).toEqual({ visible: 0, notVisible: 1 });
    await countsBecome(q.url, { visible: 1, notVisible: 0 });
  });
});

describe('message attributes on ReceiveMessage', () => {
  const attributes = {
    Hello: { DataType: 'String', StringValue: 'world' },
    'Hel.x': { DataType: 'String', StringValue: 'dotted' },
    Other: { DataType: 'Number', StringValue: '42' },
  };
  const receiveWith = async (MessageAttributeNames?: string[]) => {
    const q = await queue();
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'm', MessageAttributes: attributes }));
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1, MessageAttributeNames }));
    expect(Messages).toHaveLength(1);
    return Messages[0] ?? {};
  };
  /** MD5OfMessageAttributes as SendMessage answers it for exactly these attributes. */
  const md5Of = async (subset: Record<string, { DataType: string; StringValue: string }>) =>
    (await aws.sqs.send(new SendMessageCommand({ QueueUrl: (await queue()).url, MessageBody: 'm', MessageAttributes: subset }))).MD5OfMessageAttributes;

  it('without MessageAttributeNames, a message comes without its message attributes or their MD5', async () => {
    const message = await receiveWith();
    expect([message.MessageAttributes, message.MD5OfMessageAttributes]).toEqual([undefined, undefined]);
  });

  it.each([['All'], ['.*']])('MessageAttributeNames [%s] returns every message attribute', async (name) => {
    const message = await receiveWith([name]);
    expect(Object.keys(message.MessageAttributes ?? {}).sort()).toEqual(['Hel.x', 'Hello', 'Other']);
    expect(message.MD5OfMessageAttributes).toBe(await md5Of(attributes));
  });

  it('a name ending in .* returns the attributes starting with its prefix (Hel.* gives Hello and Hel.x), with the MD5 of those', async () => {
    const message = await receiveWith(['Hel.*']);
    expect(Object.keys(message.MessageAttributes ?? {}).sort()).toEqual(['Hel.x', 'Hello']);
    expect(message.MD5OfMessageAttributes).toBe(await md5Of({ Hello: attributes.Hello, 'Hel.x': attributes['Hel.x'] }));
  });

  it('a name returns that attribute only, and MD5OfMessageAttributes is the digest of the returned subset', async () => {
    const message = await receiveWith(['Other']);
    expect(Object.keys(message.MessageAttributes ?? {})).toEqual(['Other']);
    expect(message.MD5OfMessageAttributes).toBe(await md5Of({ Other: attributes.Other }));
  });
});

describe('boolean attributes', () => {
  it('CreateQueue reads ContentBasedDeduplication "True" as true (any case) and answers it as "true"', async () => {
    const q = await queue(`${unique('f')}.fifo`, { FifoQueue: 'TRUE', ContentBasedDeduplication: 'True' });
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'no dedup id', MessageGroupId: 'g' }));
    const { Attributes } = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['FifoQueue', 'ContentBasedDeduplication'] }));
    expect(Attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  });

  it('SetQueueAttributes reads ContentBasedDeduplication "tRuE" as true', async () => {
    const q = await queue(`${unique('f')}.fifo`, { FifoQueue: 'true' });
    await aws.sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { ContentBasedDeduplication: 'tRuE' } }));
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'no dedup id', MessageGroupId: 'g' }));
    expect(await depth(q.url)).toBe(1);
  });

  it('a boolean attribute that is neither true nor false is refused (InvalidAttributeValue)', async () => {
    const error = await rejection(queue(`${unique('f')}.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'yes' }));
    expect(error.name).toBe('InvalidAttributeValue');
  });
});

describe('receipt handles', () => {
  it('DeleteMessage with a receipt handle never issued answers ReceiptHandleIsInvalid', async () => {
    const q = await queue();
    expect((await rejection(aws.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: 'never-issued' })))).name).toBe('ReceiptHandleIsInvalid');
  });

  it('ChangeMessageVisibility with a receipt handle never issued answers ReceiptHandleIsInvalid', async () => {
    const q = await queue();
    const error = await rejection(aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: 'never-issued', VisibilityTimeout: 0 })));
    expect(error.name).toBe('ReceiptHandleIsInvalid');
  });

  it('DeleteMessageBatch reports a receipt handle never issued as a Failed entry ReceiptHandleIsInvalid, and deletes the valid one', async () => {
    const q = await queue();
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'm' }));
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1 }));
    expect(Messages).toHaveLength(1);
    const out = await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'good', ReceiptHandle: Messages[0]?.ReceiptHandle },
          { Id: 'bad', ReceiptHandle: 'never-issued' },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['good']);
    expect(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([['bad', 'ReceiptHandleIsInvalid', true]]);
  });
});

describe('receipt handles of an earlier receive', () => {
  const send = (url: string, fifo: boolean) =>
    aws.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm', ...(fifo ? { MessageGroupId: 'g', MessageDeduplicationId: 'd' } : {}) }));
  const receiveOne = async (url: string, VisibilityTimeout?: number) => {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, VisibilityTimeout, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    expect(Messages).toHaveLength(1);
    return Messages[0] ?? {};
  };

  it('FIFO: DeleteMessage with a receipt handle whose visibility timeout ran out is refused (InvalidParameterValue: the receipt handle has expired) and the message is delivered again', async () => {
    const q = await queue(`${unique('f')}.fifo`, { FifoQueue: 'true' });
    await send(q.url, true);
    const first = await receiveOne(q.url, 1);
    await countsBecome(q.url, { visible: 1, notVisible: 0 });
    const error = await rejection(aws.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle })));
    expect([error.name, error.message]).toEqual(['InvalidParameterValue', expect.stringContaining('The receipt handle has expired')]);
    const again = await receiveOne(q.url);
    expect([again.MessageId, again.Attributes?.ApproximateReceiveCount]).toEqual([first.MessageId, '2']);
  });

  it('FIFO: DeleteMessage with the handle of an earlier receive, after the message was received again, is refused and leaves the message in flight; its latest handle deletes it', async () => {
    const q = await queue(`${unique('f')}.fifo`, { FifoQueue: 'true' });
    await send(q.url, true);
    const first = await receiveOne(q.url, 1);
    const second = await receiveOne(q.url);
    expect(second.MessageId).toBe(first.MessageId);
    expect((await rejection(aws.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle })))).name).toBe('InvalidParameterValue');
    expect(await counts(q.url)).toEqual({ visible: 0, notVisible: 1 });
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: second.ReceiptHandle }));
    expect(await counts(q.url)).toEqual({ visible: 0, notVisible: 0 });
  });

  it('FIFO: DeleteMessageBatch reports an expired receipt handle as a Failed entry InvalidParameterValue', async () => {
    const q = await queue(`${unique('f')}.fifo`, { FifoQueue: 'true' });
    await send(q.url, true);
    const first = await receiveOne(q.url, 1);
    await countsBecome(q.url, { visible: 1, notVisible: 0 });
    const out = await aws.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: 'old', ReceiptHandle: first.ReceiptHandle }] }));
    expect(out.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([['old', 'InvalidParameterValue', true]]);
    expect(await counts(q.url)).toEqual({ visible: 1, notVisible: 0 });
  });

  it('FIFO: ChangeMessageVisibility with a receipt handle whose visibility timeout ran out is refused (InvalidParameterValue)', async () => {
    const q = await queue(`${unique('f')}.fifo`, { FifoQueue: 'true' });
    await send(q.url, true);
    const first = await receiveOne(q.url, 1);
    await countsBecome(q.url, { visible: 1, notVisible: 0 });
    const error = await rejection(aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 60 })));
    expect(error.name).toBe('InvalidParameterValue');
    expect(await counts(q.url)).toEqual({ visible: 1, notVisible: 0 });
  });

  it('standard: ChangeMessageVisibility with a receipt handle whose visibility timeout ran out answers MessageNotInflight and leaves the message visible', async () => {
    const q = await queue();
    await send(q.url, false);
    const first = await receiveOne(q.url, 1);
    await countsBecome(q.url, { visible: 1, notVisible: 0 });
    const error = await rejection(aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 60 })));
    expect(error.name).toBe('MessageNotInflight');
    expect(await counts(q.url)).toEqual({ visible: 1, notVisible: 0 });
  });

  it('ChangeMessageVisibility with the handle of a deleted message is refused (InvalidParameterValue: message does not exist)', async () => {
    const q = await queue();
    await send(q.url, false);
    const first = await receiveOne(q.url);
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle }));
    const error = await rejection(aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 60 })));
    expect([error.name, error.message]).toEqual(['InvalidParameterValue', expect.stringContaining('Message does not exist')]);
  });

  it('standard: DeleteMessage with a receipt handle whose visibility timeout ran out succeeds and deletes the message', async () => {
    const q = await queue();
    await send(q.url, false);
    const first = await receiveOne(q.url, 1);
    await countsBecome(q.url, { visible: 1, notVisible: 0 });
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle }));
    expect(await counts(q.url)).toEqual({ visible: 0, notVisible: 0 });
  });

  it('standard: DeleteMessage with the handle of an earlier receive, after the message was received again, succeeds and deletes the message', async () => {
    const q = await queue();
    await send(q.url, false);
    const first = await receiveOne(q.url, 1);
    const second = await receiveOne(q.url);
    expect(second.MessageId).toBe(first.MessageId);
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle }));
    expect(await counts(q.url)).toEqual({ visible: 0, notVisible: 0 });
    // The latest handle of a message deleted already is accepted too.
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: second.ReceiptHandle }));
  });
});

describe('FIFO queues', () => {
  const fifo = () => queue(`${unique('f')}.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });

  it('ReceiveMessage returns up to MaxNumberOfMessages from one message group, in order', async () => {
    const q = await fifo();
    await aws.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: q.url, Entries: [1, 2, 3, 4, 5].map((n) => ({ Id: `m${n}`, MessageBody: `m${n}`, MessageGroupId: 'g' })) }),
    );
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('ReceiveMessage returns messages of several groups in one call, each group in order', async () => {
    const q = await fifo();
    const entries = ['a', 'b'].flatMap((group) => [1, 2, 3].map((n) => ({ Id: `${group}${n}`, MessageBody: `${group}${n}`, MessageGroupId: group })));
    await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: entries }));
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    const bodies = Messages.map((m) => m.Body ?? '');
    expect(bodies.sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
  });

  it('a message group with messages in flight gives nothing more until they are deleted or visible again', async () => {
    const q = await fifo();
    await aws.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: q.url, Entries: [1, 2].map((n) => ({ Id: `m${n}`, MessageBody: `m${n}`, MessageGroupId: 'g' })) }),
    );
    const first = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 1 }));
    expect(first.Messages?.map((m) => m.Body)).toEqual(['m1']);
    const second = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    expect(second.Messages ?? []).toEqual([]);
  });
});

describe('FIFO high throughput (DeduplicationScope messageGroup)', () => {
  const highThroughput = { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' };

  it('the same MessageDeduplicationId in another message group is a new message, delivered', async () => {
    const q = await queue(`${unique('ht')}.fifo`, highThroughput);
    for (const group of ['a', 'b', 'a']) {
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: `to ${group}`, MessageGroupId: group, MessageDeduplicationId: 'same' }));
    }
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body).sort()).toEqual(['to a', 'to b']);
  });

  it('SendMessageBatch deduplicates within each message group only', async () => {
    const q = await queue(`${unique('ht')}.fifo`, highThroughput);
    await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: ['a', 'b', 'a'].map((group, n) => ({ Id: `m${n}`, MessageBody: `${n} to ${group}`, MessageGroupId: group, MessageDeduplicationId: 'same' })),
      }),
    );
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body).sort()).toEqual(['0 to a', '1 to b']);
  });

  it('the local provisioning creates a queue with the DeduplicationScope and FifoThroughputLimit its template declares', async () => {
    const name = `${unique('work')}.fifo`;
    const clients = { sqs: aws.sqs, sns: aws.sns, s3: aws.s3 } as unknown as LocalClients;
    const plan = { queues: [{ logicalId: 'WorkFifoQueue', name, attributes: { ...highThroughput, ContentBasedDeduplication: 'true' } }], topics: [], queueSubscriptions: [], buckets: [] };
    const { queueUrls } = await provision(clients, plan as unknown as LocalPlan);
    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrls[name], AttributeNames: ['DeduplicationScope', 'FifoThroughputLimit'] }),
    );
    expect(Attributes).toEqual({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
  });
});

describe('FIFO message groups with an earlier message visible again', () => {
  const twoInFlight = async () => {
    const q = await queue(`${unique('f')}.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' });
    await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'a', MessageBody: 'g1-m1', MessageGroupId: 'g1' },
          { Id: 'b', MessageBody: 'g1-m2', MessageGroupId: 'g1' },
          { Id: 'c', MessageBody: 'g1-m3', MessageGroupId: 'g1' },
        ],
      }),
    );
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 2 }));
    expect(Messages.map((m) => m.Body)).toEqual(['g1-m1', 'g1-m2']);
    return { q, first: Messages[0] ?? {} };
  };

  it('ChangeMessageVisibility 0 on the first of two in-flight messages makes it receivable at once, while the later in-flight one still holds back the rest of the group', async () => {
    const { q, first } = await twoInFlight();
    await aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }));
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual(['g1-m1']);
  });

  it('the first message is received again when its visibility timeout ends, though a later message of its group is still in flight', async () => {
    const { q, first } = await twoInFlight();
    await aws.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: q.url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 1 }));
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
    expect(Messages.map((m) => m.Body)).toEqual(['g1-m1']);
  });
});

describe('dead-letter queues', () => {
  it('a message received maxReceiveCount times moves to the DLQ', async () => {
    const dlq = await queue();
    const source = await queue(unique('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }), VisibilityTimeout: '0' });
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'poison' }));
    await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    const again = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    expect(again.Messages ?? []).toEqual([]);
    const moved = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1 }));
    expect(moved.Messages?.map((m) => m.Body)).toEqual(['poison']);
  });

  it('a dead-lettered message names its source queue (DeadLetterQueueSourceArn) and keeps its AWSTraceHeader', async () => {
    const dlq = await queue();
    const source = await queue(unique('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }), VisibilityTimeout: '0' });
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    await aws.sqs.send(
      new SendMessageCommand({ QueueUrl: source.url, MessageBody: 'poison', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } } }),
    );
    await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url }));
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }));
    expect(Messages.map((m) => [m.Body, m.Attributes?.DeadLetterQueueSourceArn, m.Attributes?.AWSTraceHeader])).toEqual([['poison', source.arn, trace]]);
  });

  it('ListDeadLetterSourceQueues lists the queues whose RedrivePolicy names the DLQ', async () => {
    const dlq = await queue();
    const source = await queue(unique('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    await queue();
    const out = await aws.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
    expect(out.queueUrls).toEqual([source.url]);
  });

  it('CreateQueue with a RedrivePolicy naming a missing DLQ is refused (InvalidParameterValue: dead letter target does not exist)', async () => {
    const error = await rejection(
      queue(unique('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:no-such-dlq`, maxReceiveCount: 3 }) }),
    );
    expect(['InvalidParameterValue', 'InvalidAttributeValue']).toContain(error.name);
  });

  it('SetQueueAttributes with a RedrivePolicy naming a missing DLQ is refused', async () => {
    const q = await queue();
    const error = await rejection(
      aws.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: q.url,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:no-such-dlq`, maxReceiveCount: 3 }) },
        }),
      ),
    );
    expect(['InvalidParameterValue', 'InvalidAttributeValue']).toContain(error.name);
  });

  it('StartMessageMoveTask moves the DLQ messages back to their source; ListMessageMoveTasks reports it COMPLETED', async () => {
    const dlq = await queue();
    const source = await queue(unique('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: dlq.url, Entries: [1, 2, 3].map((n) => ({ Id: `m${n}`, MessageBody: `m${n}` })) }));
    const started = await aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(started.TaskHandle).toBeTruthy();
    let status: string | undefined;
    let moved = 0;
    for (let attempt = 0; attempt < 100 && status !== 'COMPLETED'; attempt += 1) {
      const { Results = [] } = await aws.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
      status = Results[0]?.Status;
      moved = Results[0]?.ApproximateNumberOfMessagesMoved ?? 0;
      if (status !== 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([status, moved]).toEqual(['COMPLETED', 3]);
    expect(await depth(source.url)).toBe(3);
    expect(await depth(dlq.url)).toBe(0);
  });

  const slowMove = async () => {
    const dlq = await queue();
    const source = await queue(unique('src'), { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: dlq.url, Entries: [1, 2, 3, 4, 5].map((n) => ({ Id: `m${n}`, MessageBody: `m${n}` })) }));
    const { TaskHandle } = await aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, MaxNumberOfMessagesPerSecond: 1 }));
    return { dlq, source, TaskHandle };
  };

  it('a message move task at MaxNumberOfMessagesPerSecond runs: ListMessageMoveTasks reports it RUNNING with its TaskHandle while messages remain', async () => {
    const { dlq, TaskHandle } = await slowMove();
    const { Results = [] } = await aws.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(Results.map((r) => [r.Status, r.TaskHandle, r.MaxNumberOfMessagesPerSecond, r.ApproximateNumberOfMessagesToMove])).toEqual([['RUNNING', TaskHandle, 1, 5]]);
    await aws.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  });

  it('a second StartMessageMoveTask on a source with a running task is refused (InvalidParameterValue: only one active task)', async () => {
    const { dlq, TaskHandle } = await slowMove();
    const error = await rejection(aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })));
    expect([error.name, error.message]).toEqual(['InvalidParameterValue', expect.stringContaining('Only one active task')]);
    await aws.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  });

  it('CancelMessageMoveTask stops a running task (CANCELLED): the messages it did not move stay in the DLQ', async () => {
    const { dlq, source, TaskHandle } = await slowMove();
    const { ApproximateNumberOfMessagesMoved = -1 } = await aws.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    const { Results = [] } = await aws.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(Results.map((r) => [r.Status, r.ApproximateNumberOfMessagesMoved])).toEqual([['CANCELLED', ApproximateNumberOfMessagesMoved]]);
    expect(await depth(source.url)).toBe(ApproximateNumberOfMessagesMoved);
    expect(await depth(dlq.url)).toBe(5 - ApproximateNumberOfMessagesMoved);
    expect(ApproximateNumberOfMessagesMoved).toBeLessThan(5);
  });

  it('StartMessageMoveTask on a queue that is no DLQ is refused (InvalidParameterValue)', async () => {
    const q = await queue();
    const error = await rejection(aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: q.arn })));
    expect(['InvalidParameterValue', 'UnsupportedOperation']).toContain(error.name);
  });
});

describe('PurgeQueue', () => {
  it('empties the queue', async () => {
    const q = await queue();
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'm' }));
    await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: q.url }));
    expect(await depth(q.url)).toBe(0);
  });

  it('a second purge within 60 seconds answers PurgeQueueInProgress', async () => {
    const q = await queue();
    await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: q.url }));
    expect((await rejection(aws.sqs.send(new PurgeQueueCommand({ QueueUrl: q.url })))).name).toBe('PurgeQueueInProgress');
  });
});

describe('bad input SQS refuses', () => {
  const fifo = () => queue(`${unique('f')}.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
  const sendError = async (url: string, input: Omit<ConstructorParameters<typeof SendMessageCommand>[0], 'QueueUrl'>) =>
    rejection(aws.sqs.send(new SendMessageCommand({ QueueUrl: url, ...input })));

  it('a MessageDeduplicationId on a standard queue is refused (InvalidParameterValue)', async () => {
    const q = await queue();
    expect((await sendError(q.url, { MessageBody: 'm', MessageDeduplicationId: 'd' })).name).toBe('InvalidParameterValue');
  });

  it.each([
    ['a MessageGroupId longer than 128 characters', { MessageGroupId: 'g'.repeat(129) }],
    ['a MessageGroupId with a space', { MessageGroupId: 'my group' }],
    ['a MessageDeduplicationId with a non-ASCII character', { MessageGroupId: 'g', MessageDeduplicationId: 'dé' }],
  ])('FIFO: %s is refused (InvalidParameterValue)', async (_what, ids) => {
    const q = await fifo();
    expect((await sendError(q.url, { MessageBody: 'm', ...ids })).name).toBe('InvalidParameterValue');
  });

  it.each(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'])('CreateQueue of a standard queue with the FIFO-only attribute %s is refused (InvalidAttributeName)', async (name) => {
    const value = { ContentBasedDeduplication: 'true', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue' }[name] ?? '';
    expect((await rejection(queue(unique('std'), { [name]: value }))).name).toBe('InvalidAttributeName');
  });

  it('SetQueueAttributes of a FIFO-only attribute on a standard queue is refused (InvalidAttributeName)', async () => {
    const q = await queue();
    const error = await rejection(aws.sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { ContentBasedDeduplication: 'true' } })));
    expect(error.name).toBe('InvalidAttributeName');
  });

  it('a DeduplicationScope other than messageGroup or queue is refused (InvalidAttributeValue)', async () => {
    expect((await rejection(queue(`${unique('f')}.fifo`, { FifoQueue: 'true', DeduplicationScope: 'perGroup' }))).name).toBe('InvalidAttributeValue');
  });

  it.each([
    ['an empty String value', { a: { DataType: 'String', StringValue: '' } }],
    ['a Number that is no number', { a: { DataType: 'Number', StringValue: 'ten' } }],
    ['an unknown data type', { a: { DataType: 'Integer', StringValue: '1' } }],
    ['a name starting with AWS.', { 'AWS.a': { DataType: 'String', StringValue: 'x' } }],
  ])('a message attribute with %s is refused (InvalidParameterValue)', async (_what, MessageAttributes) => {
    const q = await queue();
    expect((await sendError(q.url, { MessageBody: 'm', MessageAttributes })).name).toBe('InvalidParameterValue');
  });

  it('SendMessageBatch reports an entry with an empty message attribute as Failed (InvalidParameterValue) and sends the others', async () => {
    const q = await queue();
    const out = await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: [
          { Id: 'bad', MessageBody: 'm', MessageAttributes: { a: { DataType: 'String', StringValue: '' } } },
          { Id: 'good', MessageBody: 'm' },
        ],
      }),
    );
    expect([out.Failed?.map((f) => [f.Id, f.Code]), out.Successful?.map((e) => e.Id)]).toEqual([[['bad', 'InvalidParameterValue']], ['good']]);
  });

  it('a FIFO SendMessageBatch with an entry lacking MessageGroupId fails as a whole (MissingParameter), sending nothing', async () => {
    const q = await fifo();
    const error = await rejection(
      aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: 'a', MessageBody: 'a', MessageGroupId: 'g' }, { Id: 'b', MessageBody: 'b' }] })),
    );
    expect(error.name).toBe('MissingParameter');
    expect(await depth(q.url)).toBe(0);
  });

  it('a FIFO SendMessageBatch without deduplication ids on a queue without content-based deduplication fails as a whole (InvalidParameterValue)', async () => {
    const q = await queue(`${unique('f')}.fifo`, { FifoQueue: 'true' });
    const error = await rejection(
      aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: q.url,
          Entries: [
            { Id: 'a', MessageBody: 'a', MessageGroupId: 'g', MessageDeduplicationId: 'a' },
            { Id: 'b', MessageBody: 'b', MessageGroupId: 'g' },
          ],
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValue');
    expect(await depth(q.url)).toBe(0);
  });

  it('a batch entry id longer than 80 characters fails the whole request (InvalidBatchEntryId)', async () => {
    const q = await queue();
    const error = await rejection(aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: [{ Id: 'i'.repeat(81), MessageBody: 'm' }] })));
    expect(error.name).toBe('InvalidBatchEntryId');
  });
});

describe('errors', () => {
  it('a queue that does not exist answers QueueDoesNotExist', async () => {
    const error = await rejection(aws.sqs.send(new SendMessageCommand({ QueueUrl: `${aws.endpoint}/${ACCOUNT}/${unique('none')}`, MessageBody: 'm' })));
    expect(error.name).toBe('QueueDoesNotExist');
  });
});
