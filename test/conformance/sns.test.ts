/**
 * SNS as the Amazon SNS API Reference and developer guide document it, through the real SDK v3
 * clients against the local AWS. Each test names the action and the documented answer.
 */
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SetSubscriptionAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ACCOUNT, type ConformanceAws, REGION, rejection, startConformanceAws, unique } from './local-aws';

let aws: ConformanceAws;
beforeAll(async () => {
  aws = await startConformanceAws();
});
afterAll(async () => {
  await aws?.stop();
});

async function topic(fifo = false): Promise<string> {
  const name = fifo ? `${unique('t')}.fifo` : unique('t');
  const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: name, Attributes: fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'true' } : {} }));
  return TopicArn ?? '';
}

async function queue(fifo = false): Promise<{ url: string; arn: string }> {
  const name = fifo ? `${unique('q')}.fifo` : unique('q');
  const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: 'true' } : {} }));
  return { url: QueueUrl ?? '', arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}` };
}

async function bodies(url: string, wanted: number): Promise<string[]> {
  const found: string[] = [];
  for (let attempt = 0; attempt < 5 && found.length < wanted; attempt += 1) {
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    found.push(...Messages.map((m) => m.Body ?? ''));
    // Deleted as a consumer does, so a FIFO group's next messages become receivable.
    for (const m of Messages) await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  }
  return found;
}

async function subscribeRaw(TopicArn: string, queueArn: string, attributes: Record<string, string> = {}): Promise<string> {
  const { SubscriptionArn } = await aws.sns.send(
    new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true', ...attributes }, ReturnSubscriptionArn: true }),
  );
  return SubscriptionArn ?? '';
}

describe('delivery to SQS', () => {
  it('Publish delivers the SNS envelope (Type Notification, Message, TopicArn) to a queue subscriber', async () => {
    const t = await topic();
    const q = await queue();
    await aws.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q.arn }));
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'hello', Subject: 's' }));
    const [envelope] = await bodies(q.url, 1);
    expect(JSON.parse(envelope ?? '{}')).toMatchObject({ Type: 'Notification', Message: 'hello', TopicArn: t, Subject: 's' });
  });

  it('RawMessageDelivery delivers the message itself', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn);
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'raw' }));
    expect(await bodies(q.url, 1)).toEqual(['raw']);
  });

  it('RawMessageDelivery "True" (any case) at Subscribe delivers the message itself', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn, { RawMessageDelivery: 'True' });
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'raw' }));
    expect(await bodies(q.url, 1)).toEqual(['raw']);
  });

  it('SetSubscriptionAttributes RawMessageDelivery "TrUe" delivers the message itself', async () => {
    const t = await topic();
    const q = await queue();
    const subscription = await subscribeRaw(t, q.arn, { RawMessageDelivery: 'false' });
    await aws.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscription, AttributeName: 'RawMessageDelivery', AttributeValue: 'TrUe' }));
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'raw' }));
    expect(await bodies(q.url, 1)).toEqual(['raw']);
  });

  it('MessageStructure json delivers the sqs entry', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn);
    await aws.sns.send(new PublishCommand({ TopicArn: t, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', sqs: 'for sqs' }) }));
    expect(await bodies(q.url, 1)).toEqual(['for sqs']);
  });

  it('PublishBatch with MessageStructure json delivers each entry\'s sqs entry (else its default)', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn);
    await aws.sns.send(
      new PublishBatchCommand({
        TopicArn: t,
        PublishBatchRequestEntries: [
          { Id: 'a', MessageStructure: 'json', Message: JSON.stringify({ default: 'd', sqs: 'for sqs' }) },
          { Id: 'b', MessageStructure: 'json', Message: JSON.stringify({ default: 'only default' }) },
        ],
      }),
    );
    expect((await bodies(q.url, 2)).sort()).toEqual(['for sqs', 'only default']);
  });

  it('PublishBatch fails an entry whose MessageStructure json has no default entry (InvalidParameter) and delivers the others', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn);
    const out = await aws.sns.send(
      new PublishBatchCommand({
        TopicArn: t,
        PublishBatchRequestEntries: [
          { Id: 'bad', MessageStructure: 'json', Message: JSON.stringify({ sqs: 'x' }) },
          { Id: 'good', Message: 'plain' },
        ],
      }),
    );
    expect(out.Failed?.map((f) => [f.Id, f.Code])).toEqual([['bad', 'InvalidParameter']]);
    expect(await bodies(q.url, 1)).toEqual(['plain']);
  });

  it('Publish with the TargetArn of a topic publishes to that topic', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn);
    await aws.sns.send(new PublishCommand({ TargetArn: t, Message: 'by target' }));
    expect(await bodies(q.url, 1)).toEqual(['by target']);
  });

  it('a subscription RedrivePolicy sends a message SNS cannot deliver (queue deleted) to the subscription DLQ', async () => {
    const t = await topic();
    const q = await queue();
    const dlq = await queue();
    const subscription = await subscribeRaw(t, q.arn);
    await aws.sns.send(
      new SetSubscriptionAttributesCommand({ SubscriptionArn: subscription, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq.arn }) }),
    );
    await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'must not be lost' }));
    const [dead] = await bodies(dlq.url, 1);
    expect(dead).toContain('must not be lost');
  });
});

describe('subscription filter policies', () => {
  it('an attribute policy matches a String.Array attribute when one element matches', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn, { FilterPolicy: JSON.stringify({ colour: ['red'] }) });
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'blue only', MessageAttributes: { colour: { DataType: 'String.Array', StringValue: '["blue"]' } } }));
    await aws.sns.send(
      new PublishCommand({ TopicArn: t, Message: 'has red', MessageAttributes: { colour: { DataType: 'String.Array', StringValue: '["blue","red"]' } } }),
    );
    expect(await bodies(q.url, 1)).toEqual(['has red']);
  });

  it('a MessageBody policy matches an array in the body when one element matches', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn, { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ tags: ['urgent'] }) });
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: JSON.stringify({ tags: ['later'], n: 1 }) }));
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: JSON.stringify({ tags: ['later', 'urgent'], n: 2 }) }));
    expect((await bodies(q.url, 1)).map((b) => JSON.parse(b).n)).toEqual([2]);
  });

  it('a MessageBody policy matches nested keys and numeric conditions', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn, { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ order: { total: [{ numeric: ['>', 100] }] } }) });
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: JSON.stringify({ order: { total: 5 }, n: 1 }) }));
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: JSON.stringify({ order: { total: 500 }, n: 2 }) }));
    expect((await bodies(q.url, 1)).map((b) => JSON.parse(b).n)).toEqual([2]);
  });

  it('an invalid FilterPolicy is refused (InvalidParameter)', async () => {
    const t = await topic();
    const q = await queue();
    const error = await rejection(subscribeRaw(t, q.arn, { FilterPolicy: JSON.stringify({ colour: 'red' }) }));
    expect(error.name).toBe('InvalidParameterException');
  });

  it('a FilterPolicy that is not JSON is refused (InvalidParameter)', async () => {
    const t = await topic();
    const q = await queue();
    const error = await rejection(subscribeRaw(t, q.arn, { FilterPolicy: '{colour: [' }));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('FIFO', () => {
  it('a FIFO queue cannot subscribe to a standard topic (InvalidParameter)', async () => {
    const t = await topic();
    const q = await queue(true);
    const error = await rejection(aws.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q.arn })));
    expect(error.name).toBe('InvalidParameterException');
  });

  it('a FIFO topic delivers to a FIFO queue in order', async () => {
    const t = await topic(true);
    const q = await queue(true);
    await subscribeRaw(t, q.arn);
    for (const n of [1, 2, 3]) await aws.sns.send(new PublishCommand({ TopicArn: t, Message: `m${n}`, MessageGroupId: 'g' }));
    expect(await bodies(q.url, 3)).toEqual(['m1', 'm2', 'm3']);
  });
});

describe('FIFO topic to a standard queue', () => {
  const receiveAll = async (url: string) => {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }),
    );
    return Messages;
  };

  it('Publish deduplicates at the topic: a duplicate MessageDeduplicationId is delivered once, and answered with the original MessageId', async () => {
    const t = await topic(true);
    const q = await queue();
    await subscribeRaw(t, q.arn);
    const first = await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    const again = await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'once', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    expect(again.MessageId).toBe(first.MessageId);
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'next', MessageGroupId: 'g', MessageDeduplicationId: 'e' }));
    expect(await bodies(q.url, 3)).toEqual(['once', 'next']);
  });

  it('PublishBatch deduplicates at the topic too', async () => {
    const t = await topic(true);
    const q = await queue();
    await subscribeRaw(t, q.arn);
    await aws.sns.send(
      new PublishBatchCommand({
        TopicArn: t,
        PublishBatchRequestEntries: ['a', 'b', 'a'].map((body, n) => ({ Id: `e${n}`, Message: body, MessageGroupId: 'g', MessageDeduplicationId: body })),
      }),
    );
    expect(await bodies(q.url, 3)).toEqual(['a', 'b']);
  });

  it('the standard queue gets messages without MessageGroupId, MessageDeduplicationId or SequenceNumber', async () => {
    const t = await topic(true);
    const q = await queue();
    await subscribeRaw(t, q.arn);
    await aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    const [message] = await receiveAll(q.url);
    expect(message?.Body).toBe('m');
    const { MessageGroupId, MessageDeduplicationId, SequenceNumber } = message?.Attributes ?? {};
    expect([MessageGroupId, MessageDeduplicationId, SequenceNumber]).toEqual([undefined, undefined, undefined]);
  });
});

describe('what the local AWS does not emulate', () => {
  it('a subscription over a protocol other than sqs is refused with NotImplemented, not accepted and never delivered', async () => {
    const t = await topic();
    const error = await rejection(aws.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'https', Endpoint: 'https://example.com/hook' })));
    expect(error.name).toBe('NotImplemented');
    expect(error.message).toContain('https');
  });
});

describe('what the local AWS does not emulate (Publish)', () => {
  it('Publish to a PhoneNumber (SMS) is refused with NotImplemented', async () => {
    const error = await rejection(aws.sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'sms' })));
    expect(error.name).toBe('NotImplemented');
  });
});

describe('bad input SNS refuses', () => {
  it.each([
    ['of an unknown type', { a: { DataType: 'Integer', StringValue: '1' } }],
    ['with an empty String value', { a: { DataType: 'String', StringValue: '' } }],
    ['of type Number that is no number', { a: { DataType: 'Number', StringValue: 'ten' } }],
    ['of type String.Array that is no JSON array', { a: { DataType: 'String.Array', StringValue: 'red' } }],
  ])('Publish with a message attribute %s is refused (InvalidParameterValue)', async (_what, MessageAttributes) => {
    const t = await topic();
    const error = await rejection(aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'm', MessageAttributes })));
    expect(error.name).toBe('InvalidParameterValueException');
  });

  it('PublishBatch fails an entry with an empty message attribute value and delivers the others', async () => {
    const t = await topic();
    const q = await queue();
    await subscribeRaw(t, q.arn);
    const out = await aws.sns.send(
      new PublishBatchCommand({
        TopicArn: t,
        PublishBatchRequestEntries: [
          { Id: 'bad', Message: 'bad', MessageAttributes: { a: { DataType: 'String', StringValue: '' } } },
          { Id: 'good', Message: 'good' },
        ],
      }),
    );
    expect(out.Failed?.map((f) => f.Id)).toEqual(['bad']);
    expect(await bodies(q.url, 1)).toEqual(['good']);
  });

  it('a PublishBatch whose messages total more than 256 KiB is refused (BatchRequestTooLong)', async () => {
    const t = await topic();
    const entries = [1, 2].map((n) => ({ Id: `e${n}`, Message: 'x'.repeat(200 * 1024) }));
    const error = await rejection(aws.sns.send(new PublishBatchCommand({ TopicArn: t, PublishBatchRequestEntries: entries })));
    expect(error.name).toBe('BatchRequestTooLongException');
  });

  it.each([
    ['empty', ''],
    ['longer than 100 characters', 's'.repeat(101)],
    ['with a line break', 'two\nlines'],
  ])('Publish with a Subject %s is refused (InvalidParameter)', async (_what, Subject) => {
    const t = await topic();
    expect((await rejection(aws.sns.send(new PublishCommand({ TopicArn: t, Message: 'm', Subject })))).name).toBe('InvalidParameterException');
  });

  it.each([
    ['a numeric operand that is no number', { price: [{ numeric: ['>', 'ten'] }] }],
    ['an unknown numeric operator', { price: [{ numeric: ['!=', 1] }] }],
    ['a prefix that is no string', { name: [{ prefix: 5 }] }],
    ['exists that is no boolean', { name: [{ exists: 'yes' }] }],
    ['a malformed cidr', { ip: [{ cidr: '10.0.0.0' }] }],
    ['an empty anything-but list', { name: [{ 'anything-but': [] }] }],
  ])('a FilterPolicy with %s is refused (InvalidParameter)', async (_what, policy) => {
    const t = await topic();
    const q = await queue();
    expect((await rejection(subscribeRaw(t, q.arn, { FilterPolicy: JSON.stringify(policy) }))).name).toBe('InvalidParameterException');
  });

  it('Subscribe with an unknown subscription attribute is refused (InvalidParameter)', async () => {
    const t = await topic();
    const q = await queue();
    expect((await rejection(subscribeRaw(t, q.arn, { Colour: 'red' }))).name).toBe('InvalidParameterException');
  });

  it('a FilterPolicyScope other than MessageAttributes or MessageBody is refused at Subscribe and SetSubscriptionAttributes (InvalidParameter)', async () => {
    const t = await topic();
    const q = await queue();
    expect((await rejection(subscribeRaw(t, q.arn, { FilterPolicyScope: 'Body' }))).name).toBe('InvalidParameterException');
    const subscription = await subscribeRaw(t, q.arn);
    const error = await rejection(
      aws.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscription, AttributeName: 'FilterPolicyScope', AttributeValue: 'Body' })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('Subscribe with a queue URL instead of its ARN is refused (InvalidParameter: SQS endpoint ARN)', async () => {
    const t = await topic();
    const q = await queue();
    const error = await rejection(aws.sns.send(new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: q.url })));
    expect([error.name, error.message]).toEqual(['InvalidParameterException', expect.stringContaining('SQS endpoint ARN')]);
  });

  it('Subscribe to the ARN of a queue that does not exist is accepted, as SNS does (it does not look the queue up; deliveries fail)', async () => {
    const t = await topic();
    const { SubscriptionArn } = await aws.sns.send(
      new SubscribeCommand({ TopicArn: t, Protocol: 'sqs', Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:${unique('none')}`, ReturnSubscriptionArn: true }),
    );
    expect(SubscriptionArn).toMatch(new RegExp(`^${t}:`));
  });
});

describe('errors', () => {
  it('Publish to a topic that does not exist answers NotFound', async () => {
    const error = await rejection(aws.sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${unique('none')}`, Message: 'm' })));
    expect(error.name).toBe('NotFoundException');
  });

  it('MessageStructure json without a default entry is refused (InvalidParameter)', async () => {
    const t = await topic();
    const error = await rejection(aws.sns.send(new PublishCommand({ TopicArn: t, MessageStructure: 'json', Message: JSON.stringify({ sqs: 'x' }) })));
    expect(error.name).toBe('InvalidParameterException');
  });
});
