import { MissingGroupIdError, UsageError } from '../../../cli/queue/errors';
import { checkMessage, parseAttribute, parseAttributes, parseInteger, toSendEntry } from '../../../cli/queue/message';
import { thrownBy } from '../support/errors';

const STANDARD = 'messaging-workers-local-work';
const FIFO = 'messaging-workers-local-work.fifo';

describe('parseAttribute', () => {
  it('splits name=value', () => {
    expect(parseAttribute('kind=notification')).toEqual(['kind', 'notification']);
  });

  it('keeps the = signs of the value', () => {
    expect(parseAttribute('query=a=b&c=d')).toEqual(['query', 'a=b&c=d']);
  });

  it.each(['novalue', '=value', 'kind='])('rejects %s', (text) => {
    expect(() => parseAttribute(text)).toThrow(UsageError);
  });

  it('rejects the names SQS reserves', () => {
    expect(() => parseAttribute('AWS.TraceHeader=x')).toThrow('is not a valid attribute name');
  });
});

describe('parseAttributes', () => {
  it('collects repeated flags into String attributes', () => {
    expect(parseAttributes(['a=1', 'b=2'])).toEqual({ a: '1', b: '2' });
  });

  it('rejects a name given twice', () => {
    expect(() => parseAttributes(['a=1', 'a=2'])).toThrow('--attribute a is given twice');
  });
});

describe('parseInteger', () => {
  it('accepts a whole number within bounds', () => {
    expect(parseInteger('--wait', '20', 0, 20)).toBe(20);
  });

  it.each(['21', '-1', '1.5', 'ten', ''])('rejects %p for --wait 0..20', (value) => {
    expect(() => parseInteger('--wait', value, 0, 20)).toThrow('--wait must be a whole number from 0 to 20');
  });
});

describe('checkMessage', () => {
  it('refuses a FIFO message without a group id, naming the queue', () => {
    const error = thrownBy(() => checkMessage(FIFO, { body: 'x' }));

    expect(error).toBeInstanceOf(MissingGroupIdError);
    expect((error as MissingGroupIdError).exitCode).toBe(2);
    expect((error as Error).message).toBe('FIFO queue messaging-workers-local-work.fifo needs --group-id (a message group id)');
  });

  it('accepts a FIFO message with a group id', () => {
    expect(() => checkMessage(FIFO, { body: 'x', groupId: 'g1', dedupId: 'd1' })).not.toThrow();
  });

  it('refuses a per-message delay on a FIFO queue', () => {
    expect(() => checkMessage(FIFO, { body: 'x', groupId: 'g1', delay: 5 })).toThrow('takes no per-message delay');
  });

  it('refuses a deduplication id on a standard queue', () => {
    expect(() => checkMessage(STANDARD, { body: 'x', dedupId: 'd1' })).toThrow('--dedup-id applies to FIFO queues only');
  });

  it('refuses an empty body', () => {
    expect(() => checkMessage(STANDARD, { body: '' })).toThrow('the message body must not be empty');
  });

  it('refuses a delay over 15 minutes', () => {
    expect(() => checkMessage(STANDARD, { body: 'x', delay: 901 })).toThrow('--delay must be a whole number from 0 to 900');
  });
});

describe('toSendEntry', () => {
  it('sends the attributes as String attributes', () => {
    const entry = toSendEntry({ body: '{"a":1}', attributes: { kind: 'job' }, delay: 3 });

    expect(entry).toEqual({
      MessageBody: '{"a":1}',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'job' } },
      DelaySeconds: 3,
      MessageGroupId: undefined,
      MessageDeduplicationId: undefined,
    });
  });

  it('sends no attribute map when there are none', () => {
    expect(toSendEntry({ body: 'x', attributes: {} }).MessageAttributes).toBeUndefined();
  });
});
