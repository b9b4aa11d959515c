import { z } from 'zod';
import { ConfigurationError } from '../../platform/errors';
import { isTimeZone } from './wall-clock';

/**
 * The scheduler's configuration file (config/schedules.json): the schedules an instance's schedule
 * tag may name, and the run settings. Validated once at start-up; every error names the schedule
 * and the field.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const Weekday = z.enum(WEEKDAYS);

/** `HH:MM` from 00:00 to 24:00, as minutes of the day (24:00 = 1440, the end of the day). */
const Time = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:MM from 00:00 to 24:00')
  .transform((time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)));

const PeriodSchema = z
  .strictObject({
    /** Local time the instances start; default 00:00. */
    begin: Time.default(0),
    /** Local time they stop; default 24:00. */
    end: Time.default(1440),
    /** Days the period begins on; default every day. */
    weekdays: z.array(Weekday).min(1).optional(),
    /** Days of the month (1..31) the period begins on; default every day. */
    monthDays: z.array(z.int().min(1).max(31)).min(1).optional(),
    /** Months (1..12) the period begins in; default every month. */
    months: z.array(z.int().min(1).max(12)).min(1).optional(),
    /** The period ends the next day (begin after end); must be said, so a typo is not taken for it. */
    overnight: z.boolean().default(false),
  })
  .superRefine((period, context) => {
    if (period.overnight) {
      if (period.end >= period.begin || period.end === 0) {
        context.addIssue({ code: 'custom', path: ['end'], message: 'an overnight period must end (next day, after 00:00) before it begins' });
      }
    } else if (period.end <= period.begin) {
      context.addIssue({
        code: 'custom',
        path: ['end'],
        message: 'must be after begin; a period that runs past midnight says so with "overnight": true',
      });
    }
  });

const ScheduleSchema = z
  .strictObject({
    description: z.string().optional(),
    /** IANA time zone the periods are read in (Europe/Berlin, America/New_York, UTC). */
    timezone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' }),
    /** When the instances run; outside every period they are stopped. */
    periods: z.array(PeriodSchema).default([]),
    /** Stop (start) again an instance started (stopped) by hand outside (inside) its periods. */
    enforced: z.boolean().default(false),
    /** Leave running, at the period's end, an instance that was already running when it began. */
    retainRunning: z.boolean().default(false),
    /** Stop with hibernation the instances configured for it (others stop normally). */
    hibernate: z.boolean().default(false),
    /** Maintenance: keep the instances running (or stopped) whatever the periods say; enforced. */
    override: z.enum(['running', 'stopped']).optional(),
  })
  .superRefine((schedule, context) => {
    if (schedule.periods.length === 0 && !schedule.override) {
      context.addIssue({ code: 'custom', path: ['periods'], message: 'needs at least one period (or an override)' });
    }
  });

export const SchedulerConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  /** Decide and report, but start and stop nothing (EC2 DryRun); an event may also ask for it. */
  dryRun: z.boolean().default(false),
  /** Instances per StartInstances/StopInstances/CreateTags call. */
  batchSize: z.int().min(1).max(1000).default(50),
  schedules: z
    .record(z.string().regex(/^[\w.:/+=@-]{1,256}$/, 'must be a valid tag value'), ScheduleSchema)
    .refine((schedules) => Object.keys(schedules).length > 0, 'must name at least one schedule'),
  /** Housekeeping of the EBS volumes left unattached. */
  volumes: z
    .strictObject({
      /** Snapshot, then delete, volumes unattached for this many days (without the keep tag); absent: report only. */
      deleteAfterDays: z.int().min(1).optional(),
      /** Report what would be snapshotted and deleted, and do nothing (EC2 DryRun). */
      dryRun: z.boolean().default(true),
    })
    .default({ dryRun: true }),
});

export type SchedulerConfig = z.output<typeof SchedulerConfigSchema>;
export type Schedule = z.output<typeof ScheduleSchema>;
export type Period = z.output<typeof PeriodSchema>;

/** `schedules."office-hours".periods[0].end` style paths for errors. */
function describePath(path: readonly PropertyKey[]): string {
  if (path[0] === 'schedules' && path.length > 1) {
    const rest = path
      .slice(2)
      .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
      .join('')
      .replace(/^\./, '');
    return `schedule "${String(path[1])}"${rest ? ` field ${rest}` : ''}`;
  }
  return `field ${path.map(String).join('.') || '(root)'}`;
}

/**
 * Validates the configuration file's content. Throws a ConfigurationError that names, for each
 * problem, the schedule and field: `schedule "office-hours" field timezone: must be an IANA time zone`.
 */
export function loadSchedulerConfig(raw: unknown, source = 'config/schedules.json'): SchedulerConfig {
  const result = SchedulerConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${describePath(issue.path)}: ${issue.message}`);
  throw new ConfigurationError(`Invalid scheduler configuration (${source}): ${problems.join('; ')}`, problems);
}
