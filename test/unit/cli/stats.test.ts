import { deadLetterTargetArn, isDeadLetterQueue } from '../../../cli/queue/queue-policies';
import { depthOf, formatStats } from '../../../cli/queue/stats';

describe('depthOf', () => {
  it('reads the approximate counts', () => {
    const depth = depthOf('q', { ApproximateNumberOfMessages: '4', ApproximateNumberOfMessagesNotVisible: '2', ApproximateNumberOfMessagesDelayed: '1' });

    expect(depth).toEqual({ name: 'q', visible: 4, inFlight: 2, delayed: 1 });
  });

  it('counts missing attributes as zero', () => {
    expect(depthOf('q', {})).toEqual({ name: 'q', visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('deadLetterTargetArn', () => {
  it('reads the ARN from a RedrivePolicy', () => {
    expect(deadLetterTargetArn('{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:q-dlq","maxReceiveCount":5}')).toBe('arn:aws:sqs:us-east-1:1:q-dlq');
  });

  it.each([undefined, '', '{}', 'not json'])('finds none in %p', (policy) => {
    expect(deadLetterTargetArn(policy)).toBeUndefined();
  });
});

describe('isDeadLetterQueue', () => {
  it('recognises a queue whose RedriveAllowPolicy names its sources', () => {
    expect(isDeadLetterQueue('parking', '{"redrivePermission":"byQueue","sourceQueueArns":[]}')).toBe(true);
  });

  it('recognises a queue named like a dead-letter queue', () => {
    expect([isDeadLetterQueue('x-dlq', undefined), isDeadLetterQueue('x-dlq.fifo', undefined), isDeadLetterQueue('x', undefined)]).toEqual([true, true, false]);
  });
});

describe('formatStats', () => {
  it('shows the queue and its dead-letter queue', () => {
    const text = formatStats({ queue: { name: 'work', visible: 1, inFlight: 2, delayed: 3, isDeadLetterQueue: false }, dlq: { name: 'work-dlq', visible: 4, inFlight: 0, delayed: 0 } });

    expect(text.split('\n')).toEqual([
      'queue     visible  in flight  delayed',
      'work            1          2        3',
      'work-dlq        4          0        0  (its dead-letter queue)',
    ]);
  });

  it('says so when the queue is itself a dead-letter queue', () => {
    const text = formatStats({ queue: { name: 'work-dlq', visible: 0, inFlight: 0, delayed: 0, isDeadLetterQueue: true }, dlq: null });

    expect(text).toContain('work-dlq is itself a dead-letter queue');
  });
});
