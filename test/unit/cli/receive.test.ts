import { formatMessage, receiveOptions, toReceived } from '../../../cli/queue/receive';

const message = {
  MessageId: 'm-1',
  ReceiptHandle: 'rh-1',
  Body: '{"type":"canary"}',
  Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', MessageGroupId: 'g-1' },
  MessageAttributes: {
    kind: { DataType: 'String', StringValue: 'job' },
    blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
  },
};

describe('toReceived', () => {
  it('gives the fields receive --json prints', () => {
    expect(toReceived(message)).toEqual({
      messageId: 'm-1',
      body: '{"type":"canary"}',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', MessageGroupId: 'g-1' },
      messageAttributes: { kind: { dataType: 'String', value: 'job' }, blob: { dataType: 'Binary', value: 'aGk=' } },
      receiveCount: 2,
      receiptHandle: 'rh-1',
    });
  });
});

describe('formatMessage', () => {
  it('shows id, body, attributes, system attributes with readable times, and the receipt handle', () => {
    const text = formatMessage(toReceived(message));

    expect(text).toContain('MessageId      m-1');
    expect(text).toContain('Body           {"type":"canary"}');
    expect(text).toContain('kind=job (String)');
    expect(text).toContain('SentTimestamp=1700000000000 (2023-11-14T22:13:20.000Z)');
    expect(text).toContain('MessageGroupId=g-1');
    expect(text).toContain('ReceiptHandle  rh-1');
  });
});

describe('receiveOptions', () => {
  it('reads the defaults', () => {
    expect(receiveOptions({ wait: '20', max: '1' })).toEqual({ waitSeconds: 20, max: 1, visibilitySeconds: undefined });
  });

  it('refuses more than 10 messages', () => {
    expect(() => receiveOptions({ wait: '20', max: '11' })).toThrow('--max must be a whole number from 1 to 10');
  });
});
