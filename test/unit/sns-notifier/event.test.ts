import type { SNSEvent } from 'aws-lambda';
import { MalformedNotificationError, parseSnsEvent } from '../../../handlers/sns-notifier/event';
import { InvalidEventError } from '../../../handlers/platform/errors';
import { thrownBy } from '../support/errors';
import { readEvent } from '../support/events';

/** The sample SNS event with its record's Message replaced. */
function snsEventWithMessage(message: string): SNSEvent {
  const event = readEvent<SNSEvent>('sns-notification.json');
  const record = event.Records[0];
  if (!record) throw new Error('fixture has no record');
  record.Sns.Message = message;
  return event;
}

describe('parseSnsEvent', () => {
  it('returns the notification of a valid record with its ids and subject', () => {
    const event = readEvent('sns-notification.json');

    const received = parseSnsEvent(event);

    expect(received).toEqual([
      {
        messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
        topicArn: 'arn:aws:sns:us-east-1:000000000000:messaging-workers-local-notifications',
        subject: '[warning] Disk almost full',
        notification: { title: 'Disk almost full', message: '/var is 91% full', severity: 'warning', source: 'ops' },
      },
    ]);
  });

  it('fills in the defaults of a notification that omits severity and source', () => {
    const event = snsEventWithMessage(JSON.stringify({ title: 'Backup done', message: 'ok' }));

    const [received] = parseSnsEvent(event);

    expect(received?.notification).toEqual({ title: 'Backup done', message: 'ok', severity: 'info', source: 'messaging-workers' });
  });

  it('reports a message that is not JSON as that record\'s error', () => {
    const event = snsEventWithMessage('Disk almost full!');

    const [received] = parseSnsEvent(event);

    expect(received?.notification).toBeUndefined();
    expect(received?.error).toBeInstanceOf(MalformedNotificationError);
    expect(received?.error).toMatchObject({ message: 'Message is not JSON', messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e' });
  });

  it('reports a JSON message of the wrong shape as that record\'s error, naming the fields', () => {
    const event = snsEventWithMessage(JSON.stringify({ title: '', severity: 'catastrophic' }));

    const [received] = parseSnsEvent(event);

    expect(received?.error).toBeInstanceOf(MalformedNotificationError);
    expect(received?.error?.issues).toEqual(
      expect.arrayContaining([expect.stringMatching(/^title: /), expect.stringMatching(/^message: /), expect.stringMatching(/^severity: /)]),
    );
  });

  it('keeps the other records of the event when one is malformed', () => {
    const event = readEvent<SNSEvent>('sns-notification.json');
    const good = event.Records[0];
    if (!good) throw new Error('fixture has no record');
    const bad = structuredClone(good);
    bad.Sns.MessageId = 'bad-one';
    bad.Sns.Message = 'not json';
    event.Records.push(bad);

    const received = parseSnsEvent(event);

    expect(received.map((r) => [r.messageId, r.notification !== undefined, r.error !== undefined])).toEqual([
      ['95df01b4-ee98-5cb9-9903-4c221d41eb5e', true, false],
      ['bad-one', false, true],
    ]);
  });

  it('rejects an event of another trigger with InvalidEventError and its issues', () => {
    const event = readEvent('sqs-standard-batch.json');

    const error = thrownBy(() => parseSnsEvent(event));

    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues.length).toBeGreaterThan(0);
  });
});
