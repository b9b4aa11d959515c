import { ConfigurationError } from '../../platform/errors';
import * as z from '../../platform/zod';
import { isTimeZone } from './wall-clock';

/**
 * The scheduler's configuration file (config/schedules.json): the schedules an instance's schedule
 * tag may name, and the run settings. Validated once at start-up; every error names the schedule
 * and the field.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const Weekday = z.enum(WEEKDAYS);

/** `HH:MM` from 00:00 to 24:00, as minutes of the day (24:00 = 1440, the end of the day). */
const Time = z.pipe(
  z.string().check(z.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:MM from 00:00 to 24:00')),
  z.transform((time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))),
);
const boolean = (fallback: boolean) => z._default(z.boolean(), fallback);
/** A non-empty list. */
const listOf = <T extends z.core.SomeType>(item: T) => z.array(item).check(z.minLength(1));
const intIn = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

const PeriodSchema = z
  .strictObject({
    /** Local time the instances start; default 00:00. */
    begin: z._default(Time, 0),
    /** Local time they stop; default 24:00. */
    end: z._default(Time, 1440),
    /** Days the period begins on; default every day. */
    weekdays: z.optional(listOf(Weekday)),
    /** Days of the month (1..31) the period begins on; default every day. */
    monthDays: z.optional(listOf(intIn(1, 31))),
    /** Months (1..12) the period begins in; default every month. */
    months: z.optional(listOf(intIn(1, 12))),
    /** The period ends the next day (begin after end); must be said, so a typo is not taken for it. */
    overnight: boolean(false),
  })
  .check(z.superRefine((period, context) => {
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
  }));

const ScheduleSchema = z
  .strictObject({
    description: z.optional(z.string()),
    /** IANA time zone the periods are read in (Europe/Berlin, America/New_York, UTC). */
    timezone: z.string().check(z.refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' })),
    /** When the instances run; outside every period they are stopped. */
    periods: z._default(z.array(PeriodSchema), []),
    /** Stop (start) again an instance started (stopped) by hand outside (inside) its periods. */
    enforced: boolean(false),
    /** Leave running, at the period's end, an instance that was already running when it began. */
    retainRunning: boolean(false),
    /** Stop with hibernation the instances configured for it (others stop normally). */
    hibernate: boolean(false),
    /** Maintenance: keep the instances running (or stopped) whatever the periods say; enforced. */
    override: z.optional(z.enum(['running', 'stopped'])),
  })
  .check(
    z.superRefine((schedule, context) => {
      if (schedule.periods.length === 0 && !schedule.override) {
        context.addIssue({ code: 'custom', path: ['periods'], message: 'needs at least one period (or an override)' });
      }
    }),
  );

export const SchedulerConfigSchema = z.strictObject({
  $comment: z.optional(z.string()),
  /** Decide and report, but start and stop nothing (EC2 DryRun); an event may also ask for it. */
  dryRun: boolean(false),
  /** Instances per StartInstances/StopInstances/CreateTags call. */
  batchSize: z._default(intIn(1, 1000), 50),
  schedules: z
    .record(z.string().check(z.regex(/^[\w.:/+=@-]{1,256}$/, 'must be a valid tag value')), ScheduleSchema)
    .check(z.refine((schedules) => Object.keys(schedules).length > 0, 'must name at least one schedule')),
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
