/**
 * Pure scheduling decisions: instances + schedules + now -> which instances to start, stop or mark
 * as retained, each with its reason. No I/O and no clock of its own: `now` is given.
 */
import type { Period, Schedule } from './schedules';
import { describeWallTime, instantsOnDate, scheduleClock, type WallTime } from './wall-clock';

export type DesiredState = 'running' | 'stopped';
export type ScheduleAction = 'start' | 'stop';
/** What the scheduler last did to an instance, as its tags record it. */
export type LastAction = 'started' | 'stopped' | 'retained';

export interface ScheduledInstance {
  instanceId: string;
  /** EC2 state name: pending | running | shutting-down | terminated | stopping | stopped */
  state: string;
  /** The value of the schedule tag. */
  schedule?: string;
  lastAction?: { action: LastAction; at: number };
  /** The instance was launched with hibernation configured. */
  hibernationConfigured?: boolean;
}

export interface Target {
  instanceId: string;
  schedule?: string;
  reason: string;
  /** Stop with hibernation. */
  hibernate?: boolean;
}

export interface Skip {
  instanceId: string;
  schedule?: string;
  reason: string;
  /** The instance's tag names no schedule: a configuration problem to report. */
  unknownSchedule?: boolean;
}

export interface Plan {
  start: Target[];
  stop: Target[];
  /** Running when its retainRunning period began: tagged so its period's end leaves it running. */
  retain: Target[];
  skipped: Skip[];
}

/** How far back a schedule's current state is looked for (a schedule may run one month a year). */
const LOOKBACK_DAYS = 400;
const MINUTE = 60_000;

const dayMatches = (period: Period, year: number, month: number, day: number, weekday: number): boolean =>
  (!period.weekdays || period.weekdays.includes((['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[weekday] ?? 'sun')) &&
  (!period.monthDays || period.monthDays.includes(day)) &&
  (!period.months || period.months.includes(month));

/** The local date before `time`'s, with its weekday. */
function previousDay(time: WallTime): { year: number; month: number; day: number; weekday: number } {
  const date = new Date(Date.UTC(time.year, time.month - 1, time.day - 1));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() };
}

/** Is a wall time inside a period? An overnight period belongs to the day it begins on. */
function inPeriod(period: Period, time: WallTime): boolean {
  const today = dayMatches(period, time.year, time.month, time.day, time.weekday);
  if (!period.overnight) return today && time.minute >= period.begin && time.minute < period.end;
  if (today && time.minute >= period.begin) return true;
  const yesterday = previousDay(time);
  return time.minute < period.end && dayMatches(period, yesterday.year, yesterday.month, yesterday.day, yesterday.weekday);
}

/** The state a schedule wants at an instant. */
export function desiredStateAt(schedule: Schedule, instant: number): DesiredState {
  if (schedule.override) return schedule.override;
  const time = scheduleClock(instant, schedule.timezone);
  return schedule.periods.some((period) => inPeriod(period, time)) ? 'running' : 'stopped';
}

export interface ScheduleState {
  state: DesiredState;
  /** When the schedule last changed to this state; undefined if not within the lookback (or overridden). */
  since?: number;
  /** The schedule's wall clock now, for reasons. */
  clock: string;
}

/** The state a schedule wants now and since when (the start of the current running/stopped window). */
export function scheduleState(schedule: Schedule, now: number): ScheduleState {
  const clock = describeWallTime(scheduleClock(now, schedule.timezone));
  const state = desiredStateAt(schedule, now);
  if (schedule.override) return { state, clock };
  const minutes = [0, ...new Set(schedule.periods.flatMap((period) => [period.begin % 1440, period.end % 1440]))];
  const today = scheduleClock(now, schedule.timezone);
  for (let back = 0; back <= LOOKBACK_DAYS; back++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    const candidates = instantsOnDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minutes, schedule.timezone)
      .map((instant) => Math.floor(instant / MINUTE) * MINUTE)
      .filter((instant) => instant <= now)
      .sort((a, b) => b - a);
    for (const candidate of candidates) {
      if (desiredStateAt(schedule, candidate) !== desiredStateAt(schedule, candidate - MINUTE)) {
        // The latest change at or before now; the state has held since.
        return { state, since: candidate, clock };
      }
    }
  }
  return { state, clock };
}

const TRANSITIONAL = new Set(['pending', 'stopping', 'shutting-down']);

/**
 * The reconcile decision: each instance is brought to the state its schedule wants now, once per
 * window (the time since the schedule last changed state). An instance the scheduler already acted
 * on in this window and that someone changed by hand since is left alone, unless the schedule is
 * enforced or overridden. retainRunning: an instance already running when a period begins is tagged
 * as retained and not stopped at the period's end.
 */
export function decide(instances: readonly ScheduledInstance[], schedules: Readonly<Record<string, Schedule>>, now: number): Plan {
  const plan: Plan = { start: [], stop: [], retain: [], skipped: [] };
  const states = new Map<string, ScheduleState>();
  for (const instance of instances) {
    const { instanceId, state, schedule: name, lastAction } = instance;
    const schedule = name === undefined ? undefined : schedules[name];
    if (!schedule || name === undefined) {
      plan.skipped.push({ instanceId, schedule: name, reason: `schedule tag names no configured schedule: "${name ?? ''}"`, unknownSchedule: true });
      continue;
    }
    if (TRANSITIONAL.has(state) || state === 'terminated') {
      plan.skipped.push({ instanceId, schedule: name, reason: `${state}; a later run decides` });
      continue;
    }
    let wanted = states.get(name);
    if (!wanted) {
      wanted = scheduleState(schedule, now);
      states.set(name, wanted);
    }
    const enforced = schedule.enforced || schedule.override !== undefined;
    const since = wanted.since;
    const actedInWindow = lastAction !== undefined && (since === undefined || lastAction.at >= since);
    const where = schedule.override ? `override ${schedule.override}` : `${wanted.state === 'running' ? 'inside' : 'outside'} its periods at ${wanted.clock}`;
    const base = { instanceId, schedule: name };
    if (wanted.state === 'running') {
      if (state === 'running') {
        if (schedule.retainRunning && !actedInWindow && !schedule.override) {
          plan.retain.push({ ...base, reason: `already running when its period began (retainRunning); ${where}` });
        } else plan.skipped.push({ ...base, reason: 'already running' });
      } else if (state === 'stopped') {
        if (actedInWindow && !enforced) plan.skipped.push({ ...base, reason: `stopped after the scheduler's ${lastAction?.action ?? ''} in this period; not enforced` });
        else plan.start.push({ ...base, reason: `${name} ${where}` });
      } else plan.skipped.push({ ...base, reason: `cannot start from state ${state}` });
      continue;
    }
    if (state === 'stopped') plan.skipped.push({ ...base, reason: 'already stopped' });
    else if (state === 'running') {
      if (actedInWindow && !enforced) plan.skipped.push({ ...base, reason: `started after the scheduler's ${lastAction?.action ?? ''} outside its periods; not enforced` });
      else if (schedule.retainRunning && lastAction?.action === 'retained' && !schedule.override) {
        plan.skipped.push({ ...base, reason: 'was already running when its period began (retainRunning)' });
      } else plan.stop.push({ ...base, reason: `${name} ${where}`, hibernate: schedule.hibernate && instance.hibernationConfigured === true });
    } else plan.skipped.push({ ...base, reason: `cannot stop from state ${state}` });
  }
  return plan;
}

/**
 * An explicit action ("stop every running instance tagged X now"): starts the stopped or stops the
 * running instances selected, whatever their schedules say. Hibernates where the instance's schedule
 * asks for it and the instance supports it.
 */
export function decideExplicit(
  action: ScheduleAction,
  instances: readonly ScheduledInstance[],
  schedules: Readonly<Record<string, Schedule>>,
  reason: string,
): Plan {
  const plan: Plan = { start: [], stop: [], retain: [], skipped: [] };
  const actionable = action === 'start' ? 'stopped' : 'running';
  const done = action === 'start' ? ['pending', 'running'] : ['stopping', 'stopped'];
  for (const instance of instances) {
    const base = { instanceId: instance.instanceId, schedule: instance.schedule };
    if (instance.state === actionable) {
      const schedule = instance.schedule === undefined ? undefined : schedules[instance.schedule];
      if (action === 'start') plan.start.push({ ...base, reason });
      else plan.stop.push({ ...base, reason, hibernate: (schedule?.hibernate ?? false) && instance.hibernationConfigured === true });
    } else if (done.includes(instance.state)) plan.skipped.push({ ...base, reason: `already ${instance.state}` });
    else plan.skipped.push({ ...base, reason: `cannot ${action} from state ${instance.state}` });
  }
  return plan;
}
