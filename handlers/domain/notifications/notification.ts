import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * The notifications the workers publish: one zod schema per event type, discriminated by `type`.
 * Every notification carries a stable `id` (subscribers deduplicate on it; a FIFO topic derives its
 * deduplication id from it), when it happened, which worker raised it and how severe it is.
 */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.output<typeof SeveritySchema>;

const common = {
  id: z.string().min(1).max(128),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The worker or system that raised it (`s3Copier`, `ec2Scheduler`, `cloudwatch`, ...). */
  source: z.string().min(1).max(200),
  severity: SeveritySchema,
};

const optionalCommon = {
  id: common.id.optional(),
  occurredAt: common.occurredAt.optional(),
  source: common.source.optional(),
  severity: common.severity.optional(),
};

/** One notification type: its full schema and its draft (common fields optional) schema. */
function notificationType<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return {
    schema: z.object({ type: z.literal(type), ...common, ...shape }),
    draft: z.object({ type: z.literal(type), ...optionalCommon, ...shape }),
  };
}

const bucket = z.string().min(3).max(63);
const key = z.string().min(1).max(1024);
const reason = z.string().min(1).max(2000);
const instanceIds = z.array(z.string().min(1).max(64)).min(1).max(1000);
const alarmState = z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']);

const objectCopied = notificationType('object-copied', {
  sourceBucket: bucket,
  destinationBucket: bucket,
  key,
  /** Where the copy went when it is not `key` (a destination prefix). */
  destinationKey: key.optional(),
  versionId: z.string().min(1).optional(),
  eTag: z.string().min(1).optional(),
});

const copyFailed = notificationType('copy-failed', { sourceBucket: bucket, destinationBucket: bucket, key, reason });

/** `schedule`: the schedule (tag value) the instances follow. */
const instancesStarted = notificationType('instances-started', { instanceIds, schedule: z.string().min(1).max(256).optional() });
const instancesStopped = notificationType('instances-stopped', { instanceIds, schedule: z.string().min(1).max(256).optional() });
const instancesFailed = notificationType('instances-failed', { action: z.enum(['start', 'stop']), instanceIds, reason });

const volumesCleanedUp = notificationType('volumes-cleaned-up', {
  volumeIds: z.array(z.string().min(1).max(64)).min(1).max(1000),
  freedGiB: z.number().nonnegative().optional(),
});

/**
 * The summary of a scheduler run that did or found something (dry runs included): what it started,
 * stopped, retained and failed to act on, with the scheduler's own account of each in `text`.
 */
const schedulerRun = notificationType('scheduler-run', {
  action: z.string().min(1).max(64),
  dryRun: z.boolean(),
  title: z.string().min(1).max(300),
  text: z.string().min(1).max(100_000),
  started: z.array(z.string().min(1).max(64)),
  stopped: z.array(z.string().min(1).max(64)),
  retained: z.array(z.string().min(1).max(64)),
  failed: z.array(z.object({ instanceId: z.string(), action: z.string(), code: z.string() })),
  unknownSchedule: z.array(z.object({ instanceId: z.string(), schedule: z.string().optional() })),
});

/** The EBS housekeeping report: unattached volumes, their estimated monthly cost, what was cleaned up. */
const volumesReport = notificationType('volumes-report', {
  dryRun: z.boolean(),
  title: z.string().min(1).max(300),
  text: z.string().min(1).max(100_000),
  monthlyCostUsd: z.number().nonnegative(),
  unattached: z.array(z.object({ volumeId: z.string(), sizeGiB: z.number(), volumeType: z.string(), monthlyCostUsd: z.number() })),
  deleted: z.array(z.object({ volumeId: z.string(), snapshotId: z.string().optional() })),
  failed: z.array(z.object({ volumeId: z.string(), code: z.string() })),
});

/** `queue`: the queue the job failed on; after this attempt it moves to that queue's DLQ. */
const jobDeadLettered = notificationType('job-dead-lettered', {
  queue: z.string().min(1).max(80),
  messageId: z.string().min(1).max(128),
  jobType: z.string().min(1).max(128).optional(),
  jobId: z.string().min(1).max(128).optional(),
  receiveCount: z.number().int().min(1),
  reason,
});

const alarmRaised = notificationType('alarm-raised', {
  alarmName: z.string().min(1).max(255),
  state: alarmState,
  previousState: alarmState.optional(),
  reason,
  description: z.string().max(1024).optional(),
  region: z.string().min(1).max(64).optional(),
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
export const NOTIFICATION_TYPES = NotificationSchema.options.map((schema) => schema.shape.type.value) as readonly NotificationType[];

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
