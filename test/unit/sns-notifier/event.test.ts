import type { SNSEvent } from 'aws-lambda';
import { MalformedNotificationError, parseSnsEvent } from '../../../handlers/sns-notifier/event';
import { InvalidEventError } from '../../../handlers/platform/errors';
import { thrownBy } from '../support/errors';
import { readEvent } from '../support/events';
import { snsEventOf } from '../support/notifications';

const errorOf = (event: SNSEvent) => {
  const [received] = parseSnsEvent(event);
  expect(received?.notification).toBeUndefined();
  expect(received?.error).toBeInstanceOf(MalformedNotificationError);
  return received?.error as MalformedNotificationError;
};

describe('parseSnsEvent', () => {
  it('returns the typed notification of a valid record with its message id and topic', () => {
    const event = snsEventOf('job-dead-lettered');

    const received = parseSnsEvent(event);

    expect(received).toEqual([
      {
        messageId: '7c1e0007-5b2a-5d3c-9e4f-a0b1c2d3e4f5',
        topicArn: 'arn:aws:sns:us-east-1:000000000000:messaging-workers-local-notifications',
        notification: {
          type: 'job-dead-lettered',
          id: 'a7c9e1b3d5f7091b3d5f7a9c1e3b5d7f',
          occurredAt: '2025-03-14T09:41:07.352Z',
          source: 'sqsConsumer',
          severity: 'warning',
          queue: 'messaging-workers-local-work',
          messageId: '8f2c1d3e-4a5b-4c6d-8e7f-9a0b1c2d3e03',
          jobType: 'canary',
          jobId: 'poison',
          receiveCount: 3,
          reason: 'Canary told to always fail',
        },
      },
    ]);
  });

  it('reports a message that is not JSON', () => {
    const error = errorOf(snsEventOf('object-copied', (sns) => (sns.Message = 'Object copied!')));

    expect(error).toMatchObject({ reason: 'not-json', message: 'Message is not JSON', messageId: '7c1e0001-5b2a-5d3c-9e4f-a0b1c2d3e4f5' });
  });

  it('reports a message without the eventType attribute that is no CloudWatch alarm either', () => {
    const error = errorOf(snsEventOf('object-copied', (sns) => delete sns.MessageAttributes.eventType));

    expect(error).toMatchObject({ reason: 'missing-attribute', message: 'Message has no eventType attribute' });
  });

  it('reports an unknown notification type', () => {
    const error = errorOf(
      snsEventOf('object-copied', (sns) => {
        sns.MessageAttributes.eventType = { Type: 'String', Value: 'disk-full' };
        sns.Message = JSON.stringify({ type: 'disk-full' });
      }),
    );

    expect(error).toMatchObject({ reason: 'unknown-type', message: 'Unknown notification type "disk-full"' });
  });

  it('reports a message whose type differs from its eventType attribute', () => {
    const error = errorOf(snsEventOf('object-copied', (sns) => (sns.MessageAttributes.eventType = { Type: 'String', Value: 'copy-failed' })));

    expect(error.reason).toBe('type-mismatch');
  });

  it('reports a notification missing its type\'s fields, naming them', () => {
    const error = errorOf(
      snsEventOf('copy-failed', (sns) => {
        const message = JSON.parse(sns.Message) as Record<string, unknown>;
        delete message.reason;
        delete message.key;
        sns.Message = JSON.stringify(message);
      }),
    );

    expect(error.reason).toBe('invalid-fields');
    expect(error.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^key: /), expect.stringMatching(/^reason: /)]));
  });

  it('reports a message over 256 KiB without parsing it', () => {
    const error = errorOf(snsEventOf('object-copied', (sns) => (sns.Message = `"${'x'.repeat(262_144)}"`)));

    expect(error.reason).toBe('too-large');
  });

  it('reports a CloudWatch alarm message missing its state', () => {
    const error = errorOf(
      snsEventOf('cloudwatch-alarm', (sns) => {
        const message = JSON.parse(sns.Message) as Record<string, unknown>;
        message.NewStateValue = 'ON_FIRE';
        sns.Message = JSON.stringify(message);
      }),
    );

    expect(error.reason).toBe('invalid-fields');
  });

  it('keeps the other records of the event when one is malformed', () => {
    const event = snsEventOf('instances-started');
    const bad = structuredClone(event.Records[0]);
    if (!bad) throw new Error('fixture has no record');
    bad.Sns.MessageId = 'bad-one';
    bad.Sns.Message = 'not json';
    event.Records.push(bad);

    const received = parseSnsEvent(event);

    expect(received.map((r) => [r.messageId, r.notification?.type, r.error?.reason])).toEqual([
      ['7c1e0003-5b2a-5d3c-9e4f-a0b1c2d3e4f5', 'instances-started', undefined],
      ['bad-one', undefined, 'not-json'],
    ]);
  });

  it('rejects an event of another trigger with InvalidEventError and its issues', () => {
    const event = readEvent('sqs-standard-batch.json');

    const error = thrownBy(() => parseSnsEvent(event));

    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues.length).toBeGreaterThan(0);
  });
});
