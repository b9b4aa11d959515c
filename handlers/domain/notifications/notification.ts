import { createHash, randomUUID } from 'node:crypto';
import * as z from '../../platform/zod';

/**
 * The notifications the workers publish: one zod schema per event type, discriminated by `type`.
 * Every notification carries a stable `id` (subscribers deduplicate on it; a FIFO topic derives its
 * deduplication id from it), when it happened, which worker raised it and how severe it is.
 */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.output<typeof SeveritySchema>;

/** A string of `min` to `max` characters. */
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const count = (min: number) => z.number().check(z.gte(min));

const common = {
  id: text(1, 128),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The worker or system that raised it (`s3Copier`, `ec2Scheduler`, `cloudwatch`, ...). */
  source: text(1, 200),
  severity: SeveritySchema,
};

const optionalCommon = {
  id: z.optional(common.id),
  occurredAt: z.optional(common.occurredAt),
  source: z.optional(common.source),
  severity: z.optional(common.severity),
};

/** One notification type: its full schema and its draft (common fields optional) schema. */
function notificationType<T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return {
    schema: z.object({ type: z.literal(type), ...common, ...shape }),
    draft: z.object({ type: z.literal(type), ...optionalCommon, ...shape }),
  };
}

const bucket = text(3, 63);
const key = text(1, 1024);
const reason = text(1, 2000);
const ids = z.array(text(1, 64));
const instanceIds = ids.check(z.minLength(1), z.maxLength(1000));
const alarmState = z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']);

const objectCopied = notificationType('object-copied', {
  sourceBucket: bucket,
  destinationBucket: bucket,
  key,
  /** Where the copy went when it is not `key` (a destination prefix). */
  destinationKey: z.optional(key),
  versionId: z.optional(z.string().check(z.minLength(1))),
  eTag: z.optional(z.string().check(z.minLength(1))),
});

const copyFailed = notificationType('copy-failed', { sourceBucket: bucket, destinationBucket: bucket, key, reason });

/** `schedule`: the schedule (tag value) the instances follow. */
const instancesStarted = notificationType('instances-started', { instanceIds, schedule: z.optional(text(1, 256)) });
const instancesStopped = notificationType('instances-stopped', { instanceIds, schedule: z.optional(text(1, 256)) });
const instancesFailed = notificationType('instances-failed', { action: z.enum(['start', 'stop']), instanceIds, reason });

const volumesCleanedUp = notificationType('volumes-cleaned-up', {
  volumeIds: ids.check(z.minLength(1), z.maxLength(1000)),
  freedGiB: z.optional(count(0)),
});

/**
 * The summary of a scheduler run that did or found something (dry runs included): what it started,
 * stopped, retained and failed to act on, with the scheduler's own account of each in `text`.
 */
const schedulerRun = notificationType('scheduler-run', {
  action: text(1, 64),
  dryRun: z.boolean(),
  title: text(1, 300),
  text: text(1, 100_000),
  started: ids,
  stopped: ids,
  retained: ids,
  failed: z.array(z.object({ instanceId: z.string(), action: z.string(), code: z.string() })),
  unknownSchedule: z.array(z.object({ instanceId: z.string(), schedule: z.optional(z.string()) })),
});

/** The EBS housekeeping report: unattached volumes, their estimated monthly cost, what was cleaned up. */
const volumesReport = notificationType('volumes-report', {
  dryRun: z.boolean(),
  title: text(1, 300),
  text: text(1, 100_000),
  monthlyCostUsd: count(0),
  unattached: z.array(z.object({ volumeId: z.string(), sizeGiB: z.number(), volumeType: z.string(), monthlyCostUsd: z.number() })),
  deleted: z.array(z.object({ volumeId: z.string(), snapshotId: z.optional(z.string()) })),
  failed: z.array(z.object({ volumeId: z.string(), code: z.string() })),
});

/** `queue`: the queue the job failed on; after this attempt it moves to that queue's DLQ. */
const jobDeadLettered = notificationType('job-dead-lettered', {
  queue: text(1, 80),
  messageId: text(1, 128),
  jobType: z.optional(text(1, 128)),
  jobId: z.optional(text(1, 128)),
  receiveCount: z.int().check(z.gte(1)),
  reason,
});

const alarmRaised = notificationType('alarm-raised', {
  alarmName: text(1, 255),
  state: alarmState,
  previousState: z.optional(alarmState),
  reason,
  description: z.optional(text(0, 1024)),
  region: z.optional(text(1, 64)),
});

export const ObjectCopiedSchema = objectCopied.schema;
export const CopyFailedSchema = copyFailed.schema;
export const InstancesStartedSchema = instancesStarted.schema;
export const InstancesStoppedSchema = instancesStopped.schema;
export const InstancesFailedSchema = instancesFailed.schema;
export const VolumesCleanedUpSchema = volumesCleanedUp.schema;
export const SchedulerRunSchema = schedulerRun.schema;
export const VolumesReportSchema = volumesReport.schema;
export const JobDeadLetteredSchema = jobDeadLettered.schema;
export const AlarmRaisedSchema = alarmRaised.schema;

export const NotificationSchema = z.discriminatedUnion('type', [
  objectCopied.schema,
  copyFailed.schema,
  instancesStarted.schema,
  instancesStopped.schema,
  instancesFailed.schema,
  volumesCleanedUp.schema,
  schedulerRun.schema,
  volumesReport.schema,
  jobDeadLettered.schema,
  alarmRaised.schema,
]);
export type Notification = z.output<typeof NotificationSchema>;
export type NotificationType = Notification['type'];
export type NotificationOf<T extends NotificationType> = Extract<Notification, { type: T }>;
export const NOTIFICATION_TYPES = NotificationSchema._zod.def.options.flatMap((schema) => [...schema._zod.def.shape.type._zod.values]) as readonly NotificationType[];

export function isNotificationType(value: unknown): value is NotificationType {
  return typeof value === 'string' && (NOTIFICATION_TYPES as readonly string[]).includes(value);
}

/**
 * What a publisher writes: a notification whose id, time, source and severity may be left out
 * (the publish helper fills them in). Same discriminated union, so each type still checks its fields.
 */
export const NotificationDraftSchema = z.discriminatedUnion('type', [
  objectCopied.draft,
  copyFailed.draft,
  instancesStarted.draft,
  instancesStopped.draft,
  instancesFailed.draft,
  volumesCleanedUp.draft,
  schedulerRun.draft,
  volumesReport.draft,
  jobDeadLettered.draft,
  alarmRaised.draft,
]);
export type NotificationDraft = z.input<typeof NotificationDraftSchema>;
export type NotificationDraftOf<T extends NotificationType> = Extract<NotificationDraft, { type: T }>;

/** How severe each type is unless its publisher says otherwise. */
export function defaultSeverity(draft: NotificationDraft): Severity {
  switch (draft.type) {
    case 'copy-failed':
    case 'job-dead-lettered':
      return 'warning';
    case 'instances-failed':
      return 'critical';
    case 'alarm-raised':
      return draft.state === 'ALARM' ? 'critical' : draft.state === 'OK' ? 'info' : 'warning';
    default:
      return 'info';
  }
}

/** A stable id from the parts that identify an event, so a retried publisher republishes the same id. */
export function notificationId(...parts: readonly (string | number | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export const DEFAULT_SOURCE = 'messaging-workers';

/** Validates a draft and fills in what it left out: a random id, now, the default source and severity. */
export function completeNotification(draft: NotificationDraft, now: () => Date = () => new Date()): Notification {
  const parsed = NotificationDraftSchema.parse(draft);
  return NotificationSchema.parse({
    ...parsed,
    id: parsed.id ?? randomUUID(),
    occurredAt: parsed.occurredAt ?? now().toISOString(),
    source: parsed.source ?? DEFAULT_SOURCE,
    severity: parsed.severity ?? defaultSeverity(parsed),
  });
}
