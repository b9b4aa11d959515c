import { completeNotification, NOTIFICATION_TYPES, NotificationSchema, notificationId } from '../../../handlers/domain/notifications/notification';
import { thrownBy } from '../support/errors';

describe('completeNotification', () => {
  it('fills in a random id, the time, the default source and the type\'s severity', () => {
    const now = new Date('2025-03-14T09:41:07.352Z');

    const notification = completeNotification({ type: 'copy-failed', sourceBucket: 'src-bucket', destinationBucket: 'dst-bucket', key: 'k', reason: 'denied' }, () => now);

    expect(notification).toEqual({
      type: 'copy-failed',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      occurredAt: '2025-03-14T09:41:07.352Z',
      source: 'messaging-workers',
      severity: 'warning',
      sourceBucket: 'src-bucket',
      destinationBucket: 'dst-bucket',
      key: 'k',
      reason: 'denied',
    });
  });

  it('keeps what the publisher gave', () => {
    const notification = completeNotification({ type: 'instances-started', id: 'x', source: 'ec2Scheduler', severity: 'warning', instanceIds: ['i-1'] });

    expect(notification).toMatchObject({ id: 'x', source: 'ec2Scheduler', severity: 'warning' });
  });

  it.each([
    ['ALARM', 'critical'],
    ['OK', 'info'],
    ['INSUFFICIENT_DATA', 'warning'],
  ] as const)('rates an alarm in state %s as %s', (state, severity) => {
    const notification = completeNotification({ type: 'alarm-raised', alarmName: 'a', state, reason: 'r' });

    expect(notification.severity).toBe(severity);
  });

  it('rejects a draft missing its type\'s fields, naming them', () => {
    const error = thrownBy(() => completeNotification({ type: 'instances-failed', instanceIds: [] } as never)) as { issues: { path: string[] }[] };

    expect(error.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['action', 'instanceIds', 'reason']);
  });

  it('rejects an unknown type', () => {
    expect(() => completeNotification({ type: 'disk-full' } as never)).toThrow(/type/);
  });
});

describe('NotificationSchema', () => {
  it('knows the ten notification types', () => {
    expect([...NOTIFICATION_TYPES].sort()).toEqual([
      'alarm-raised',
      'copy-failed',
      'instances-failed',
      'instances-started',
      'instances-stopped',
      'job-dead-lettered',
      'object-copied',
      'scheduler-run',
      'volumes-cleaned-up',
      'volumes-report',
    ]);
  });

  it('requires the common fields on the wire', () => {
    const result = NotificationSchema.safeParse({ type: 'instances-started', instanceIds: ['i-1'] });

    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['id', 'occurredAt', 'severity', 'source']);
  });
});

describe('notificationId', () => {
  it('is the same for the same parts and differs for others', () => {
    expect(notificationId('a', 'b', undefined)).toBe(notificationId('a', 'b', undefined));
    expect(notificationId('a', 'b')).not.toBe(notificationId('a', 'c'));
    expect(notificationId('ab', 'c')).not.toBe(notificationId('a', 'bc'));
  });
});
