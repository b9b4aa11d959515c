import { UsageError } from '../../../cli/queue/errors';
import { isFifo, parseQueueArn, queueRef } from '../../../cli/queue/resolve-queue';

describe('queueRef', () => {
  it.each([
    ['work', 'messaging-workers-local-work'],
    ['work-dlq', 'messaging-workers-local-work-dlq'],
    ['work.fifo', 'messaging-workers-local-work.fifo'],
    ['work-dlq.fifo', 'messaging-workers-local-work-dlq.fifo'],
  ])('turns the alias %s into the queue name of the stage', (alias, name) => {
    expect(queueRef(alias, 'local')).toEqual({ name });
  });

  it('puts the stage into the name', () => {
    expect(queueRef('work', 'dev')).toEqual({ name: 'messaging-workers-dev-work' });
  });

  it('takes a full queue name as it is, whatever the stage', () => {
    expect(queueRef('messaging-workers-test-cli-abc', 'local')).toEqual({ name: 'messaging-workers-test-cli-abc' });
  });

  it('treats an unknown short name as an alias, so the error names the queue it looked for', () => {
    expect(queueRef('nope', 'local')).toEqual({ name: 'messaging-workers-local-nope' });
  });

  it('keeps a queue URL and takes the name from its path', () => {
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/messaging-workers-prod-work.fifo';

    expect(queueRef(url, 'prod')).toEqual({ name: 'messaging-workers-prod-work.fifo', url });
  });

  it('rejects a URL without a queue name', () => {
    expect(() => queueRef('http://127.0.0.1:4566/', 'local')).toThrow(UsageError);
  });

  it('rejects a name SQS would not accept', () => {
    expect(() => queueRef('work queue', 'local')).toThrow('messaging-workers-local-work queue is not a valid queue name');
  });

  it('rejects an empty --queue', () => {
    expect(() => queueRef('  ', 'local')).toThrow('--queue must not be empty');
  });
});

describe('isFifo', () => {
  it('tells a FIFO queue by its .fifo suffix', () => {
    expect([isFifo('messaging-workers-local-work.fifo'), isFifo('messaging-workers-local-work')]).toEqual([true, false]);
  });
});

describe('parseQueueArn', () => {
  it('gives the queue name and the owning account', () => {
    expect(parseQueueArn('arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work')).toEqual({
      name: 'messaging-workers-local-work',
      accountId: '000000000000',
    });
  });

  it('rejects an ARN of another service', () => {
    expect(() => parseQueueArn('arn:aws:sns:us-east-1:000000000000:topic')).toThrow('is not an SQS queue ARN');
  });
});
