import * as z from '../../platform/zod';
import { completeNotification, type NotificationOf } from './notification';

/** The JSON CloudWatch publishes to an alarm action's topic (no message attributes). */
export const CloudWatchAlarmMessageSchema = z.object({
  AlarmName: z.string().check(z.minLength(1)),
  AlarmDescription: z.nullish(z.string()),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.string().check(z.minLength(1)),
  OldStateValue: z.optional(z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA'])),
  StateChangeTime: z.optional(z.string()),
  Region: z.optional(z.string()),
});

/** Tells a CloudWatch alarm message from anything else before validating it. */
export function looksLikeCloudWatchAlarm(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'AlarmName' in body && 'NewStateValue' in body;
}

/** A CloudWatch alarm state change as an `alarm-raised` notification; the SNS message id is its id. */
export function alarmRaisedFromCloudWatch(message: z.output<typeof CloudWatchAlarmMessageSchema>, messageId: string): NotificationOf<'alarm-raised'> {
  // CloudWatch writes `2025-03-14T09:41:07.352+0000`, which is not ISO 8601 with a colon offset.
  const changed = message.StateChangeTime ? new Date(message.StateChangeTime) : undefined;
  const notification = completeNotification({
    type: 'alarm-raised',
    id: messageId,
    source: 'cloudwatch',
    ...(changed && !Number.isNaN(changed.getTime()) ? { occurredAt: changed.toISOString() } : {}),
    alarmName: message.AlarmName.slice(0, 255),
    state: message.NewStateValue,
    previousState: message.OldStateValue,
    reason: message.NewStateReason.slice(0, 2000),
    description: message.AlarmDescription ? message.AlarmDescription.slice(0, 1024) : undefined,
    region: message.Region,
  });
  return notification as NotificationOf<'alarm-raised'>;
}
