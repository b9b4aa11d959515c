import { RedriveSourceError } from '../../../cli/queue/errors';
import { redriveEntry, redriveSource } from '../../../cli/queue/redrive-source';

const allow = (...names: string[]) =>
  JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: names.map((name) => `arn:aws:sqs:us-east-1:000000000000:${name}`) });

describe('redriveSource', () => {
  it('takes --to over anything the queue says', () => {
    expect(redriveSource('messaging-workers-local-work-dlq', { RedriveAllowPolicy: allow('other') }, 'work')).toEqual({ from: 'option', ref: 'work' });
  });

  it('takes the one source queue of the RedriveAllowPolicy', () => {
    expect(redriveSource('jobs-dead', { RedriveAllowPolicy: allow('jobs') })).toEqual({
      from: 'redrive-allow-policy',
      arn: 'arn:aws:sqs:us-east-1:000000000000:jobs',
      name: 'jobs',
    });
  });

  it('asks for --to when the RedriveAllowPolicy names several sources', () => {
    expect(() => redriveSource('shared-dlq', { RedriveAllowPolicy: allow('a', 'b') })).toThrow('shared-dlq allows 2 source queues (a, b): name one with --to');
  });

  it.each([
    ['messaging-workers-local-work-dlq', 'messaging-workers-local-work'],
    ['messaging-workers-local-work-dlq.fifo', 'messaging-workers-local-work.fifo'],
  ])('falls back to the naming convention: %s -> %s', (dlq, source) => {
    expect(redriveSource(dlq, { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }) })).toEqual({ from: 'naming-convention', name: source });
  });

  it('gives up, asking for --to, on a queue that neither policy nor name explains', () => {
    expect(() => redriveSource('parking-lot', {})).toThrow(RedriveSourceError);
  });

  it('points a source queue to its dead-letter queue', () => {
    const policies = { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work-dlq', maxReceiveCount: 3 }) };

    expect(() => redriveSource('messaging-workers-local-work', policies)).toThrow('redrive --queue messaging-workers-local-work-dlq');
  });

  it('ignores a policy that is not JSON', () => {
    expect(redriveSource('x-dlq', { RedriveAllowPolicy: '{not json' })).toEqual({ from: 'naming-convention', name: 'x' });
  });
});

describe('redriveEntry', () => {
  const received = {
    MessageId: 'm-1',
    ReceiptHandle: 'rh',
    Body: '{"type":"canary"}',
    Attributes: { MessageGroupId: 'g-1', MessageDeduplicationId: 'original-dedup', ApproximateReceiveCount: '3' },
    MessageAttributes: { kind: { DataType: 'String', StringValue: 'job', StringListValues: [], BinaryListValues: [] } },
  };

  it('keeps the body and the message attributes, without the list fields SendMessage refuses', () => {
    expect(redriveEntry(received, false)).toEqual({ MessageBody: '{"type":"canary"}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'job' } } });
  });

  it('keeps the FIFO group and deduplicates by message id, not by the original deduplication id', () => {
    expect(redriveEntry(received, true)).toMatchObject({ MessageGroupId: 'g-1', MessageDeduplicationId: 'm-1' });
  });

  it('refuses a message without a group id for a FIFO queue', () => {
    expect(() => redriveEntry({ ...received, Attributes: {} }, true)).toThrow('message m-1 has no MessageGroupId');
  });
});
