import type { SNSEvent } from 'aws-lambda';
import { completeNotification, type Notification, type NotificationDraft } from '../../../handlers/domain/notifications/notification';
import { readEvent } from './events';

/** A complete object-copied notification, with fixed id and time unless overridden. */
export function objectCopied(overrides: Partial<NotificationDraft> = {}): Notification {
  return completeNotification({
    type: 'object-copied',
    id: 'n-1',
    occurredAt: '2025-03-14T09:41:07.352Z',
    source: 's3Copier',
    sourceBucket: 'messaging-workers-local-source-local',
    destinationBucket: 'messaging-workers-local-destination-local',
    key: 'reports/my file.txt',
    ...overrides,
  } as NotificationDraft);
}

/** The sample SNS event of a notification type (events/sns-<type>.json), with optional changes to its record. */
export function snsEventOf(name: string, change: (sns: SNSEvent['Records'][number]['Sns']) => void = () => undefined): SNSEvent {
  const event = readEvent<SNSEvent>(`sns-${name}.json`);
  const record = event.Records[0];
  if (!record) throw new Error(`events/sns-${name}.json has no record`);
  change(record.Sns);
  return event;
}
