import {
  InvalidJobError,
  MalformedMessageError,
  parseRecord,
  type RecordError,
  UnknownJobTypeError,
} from '../../../handlers/sqs-consumer/event';
import { thrownBy } from '../support/errors';
import { snsEnvelope } from '../support/sqs';

const record = (body: string) => ({ messageId: 'msg-1', body });
const json = (value: unknown) => record(JSON.stringify(value));

describe('parseRecord accepts', () => {
  it('a job sent directly to the queue', () => {
    const input = json({ type: 'canary', id: 'direct-ok' });

    const parsed = parseRecord(input);

    expect(parsed).toEqual({ job: { type: 'canary', id: 'direct-ok' }, via: 'sqs' });
  });

  it('a job published to the topic, unwrapped from the SNS envelope', () => {
    const input = json(snsEnvelope({ type: 'canary', id: 'via-sns' }));

    const parsed = parseRecord(input);

    expect(parsed).toEqual({ job: { type: 'canary', id: 'via-sns' }, via: 'sns' });
  });

  it('a job published through a raw-delivery subscription, as if sent directly', () => {
    const input = json({ type: 'copy-object', bucket: 'source-bucket', key: 'reports/my file 中文.txt' });

    const parsed = parseRecord(input);

    expect(parsed).toEqual({ job: { type: 'copy-object', bucket: 'source-bucket', key: 'reports/my file 中文.txt' }, via: 'sqs' });
  });

  it('a publish-notification job carrying a typed notification draft', () => {
    const notification = { type: 'volumes-cleaned-up', volumeIds: ['vol-1'], freedGiB: 8 };
    const input = json({ type: 'publish-notification', notification });

    const parsed = parseRecord(input);

    expect(parsed.job).toEqual({ type: 'publish-notification', notification });
  });

  it('schedule-instances jobs: a reconcile, and an explicit stop of a schedule', () => {
    const reconcile = parseRecord(json({ type: 'schedule-instances', action: 'reconcile' }));
    const stop = parseRecord(json({ type: 'schedule-instances', action: 'stop', schedule: 'office-hours', dryRun: true }));

    expect([reconcile.job, stop.job]).toEqual([
      { type: 'schedule-instances', action: 'reconcile' },
      { type: 'schedule-instances', action: 'stop', schedule: 'office-hours', dryRun: true },
    ]);
  });
});

describe('parseRecord rejects', () => {
  const malformed: [string, { messageId: string; body: string }, new (...args: never[]) => RecordError][] = [
    ['a body that is not JSON', record('type=canary'), MalformedMessageError],
    ['an empty body', record(''), MalformedMessageError],
    ['a truncated JSON body', record('{"type":"canary"'), MalformedMessageError],
    ['a JSON array', json([{ type: 'canary' }]), InvalidJobError],
    ['a JSON string', json('canary'), InvalidJobError],
    ['a JSON number', record('42'), InvalidJobError],
    ['JSON null', record('null'), InvalidJobError],
    ['an object without a type', json({ id: 'no-type' }), UnknownJobTypeError],
    ['an unknown job type', json({ type: 'send-fax' }), UnknownJobTypeError],
    ['a type that is not a string', json({ type: 7 }), UnknownJobTypeError],
    ['a job type spelt in another case', json({ type: 'Canary' }), UnknownJobTypeError],
    ['a canary whose fields have the wrong types', json({ type: 'canary', id: 5, alwaysFail: 'yes' }), InvalidJobError],
    ['a copy-object job without a key', json({ type: 'copy-object', bucket: 'source-bucket' }), InvalidJobError],
    ['a copy-object job whose key is longer than 1024 characters', json({ type: 'copy-object', bucket: 'source-bucket', key: 'k'.repeat(1025) }), InvalidJobError],
    ['a schedule-instances job with an unknown action', json({ type: 'schedule-instances', action: 'reboot' }), InvalidJobError],
    ['a schedule-instances stop that selects nothing', json({ type: 'schedule-instances', action: 'stop' }), InvalidJobError],
    ['a schedule-instances job asking for volume housekeeping', json({ type: 'schedule-instances', action: 'housekeep-volumes' }), InvalidJobError],
    ['a publish-notification job with an invalid notification', json({ type: 'publish-notification', notification: { type: 'volumes-cleaned-up', volumeIds: [] } }), InvalidJobError],
    ['a publish-notification job of an unknown notification type', json({ type: 'publish-notification', notification: { type: 'disk-full' } }), InvalidJobError],
    ['an SNS envelope without a Message', json(snsEnvelope('', { Message: undefined })), MalformedMessageError],
    ['an SNS envelope whose Message is not a string', json(snsEnvelope('', { Message: { type: 'canary' } })), MalformedMessageError],
    ['an SNS envelope of a subscription confirmation', json(snsEnvelope('', { Type: 'SubscriptionConfirmation' })), MalformedMessageError],
    ['an SNS envelope whose Message is not JSON', json(snsEnvelope('run the canary')), MalformedMessageError],
    ['an SNS envelope whose Message is an unknown job', json(snsEnvelope({ type: 'send-fax' })), UnknownJobTypeError],
    ['an SNS envelope whose Message is an invalid job', json(snsEnvelope({ type: 'canary', failUntilAttempt: 0 })), InvalidJobError],
  ];

  it.each(malformed)('%s with the right error class', (_case, input, errorClass) => {
    const error = thrownBy(() => parseRecord(input));

    expect(error).toBeInstanceOf(errorClass);
  });

  it('carries the message id on the error', () => {
    const input = { messageId: 'msg-42', body: 'not json' };

    const error = thrownBy(() => parseRecord(input));

    expect((error as RecordError).messageId).toBe('msg-42');
  });

  it('names the known job types when the type is unknown', () => {
    const input = json({ type: 'send-fax' });

    const error = thrownBy(() => parseRecord(input));

    expect((error as Error).message).toBe('Unknown job type "send-fax"; known types: copy-object, schedule-instances, publish-notification, canary');
  });

  it('lists the invalid fields of a known job type as issues', () => {
    const input = json({ type: 'copy-object', bucket: 'source-bucket', key: 'k'.repeat(1025) });

    const error = thrownBy(() => parseRecord(input));

    expect((error as RecordError).issues).toEqual([expect.stringMatching(/^key: /)]);
  });

  it('lists what is missing from a broken SNS envelope as issues', () => {
    const input = json(snsEnvelope('', { Message: undefined }));

    const error = thrownBy(() => parseRecord(input));

    expect((error as RecordError).issues).toEqual([expect.stringMatching(/^Message: /)]);
  });

  it('an SNS envelope without a TopicArn as a broken envelope', () => {
    const input = json(snsEnvelope({ type: 'canary' }, { TopicArn: undefined }));

    const error = thrownBy(() => parseRecord(input));

    expect(error).toBeInstanceOf(MalformedMessageError);
  });
});
