/**
 * Pure scheduling decisions: instances + schedules + now -> which instances to start, stop or mark
 * as retained, each with its reason. No I/O and no clock of its own: `now` is given.
 */
import type { Period, Schedule } from './schedules';
import { describeWallTime, instantsOnDate, scheduleClock, wallTime, type WallTime } from './wall-clock';

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
  /** The Auto Scaling group the instance belongs to: the group, not the scheduler, owns its state. */
  autoScalingGroup?: string;
}

/** An Auto Scaling group replaces an instance stopped under it: such instances are never acted on. */
const autoScaled = (instance: ScheduledInstance): string | undefined =>
  instance.autoScalingGroup === undefined ? undefined : `member of Auto Scaling group ${instance.autoScalingGroup}; schedule the group, not its instances`;

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
  return wantsRunningAt(schedule, scheduleClock(instant, schedule.timezone)) ? 'running' : 'stopped';
}

export interface ScheduleState {
  state: DesiredState;
  /** When the schedule last changed to this state; undefined if not within the lookback (or overridden). */
  since?: number;
  /** The schedule's wall clock now, for reasons. */
  clock: string;
}

/** The schedule's state at a wall time (no clock involved). */
const wantsRunningAt = (schedule: Schedule, time: WallTime): boolean => schedule.periods.some((period) => inPeriod(period, time));

function wallOf(year: number, month: number, day: number, minute: number, offset: number): WallTime {
  const date = new Date(Date.UTC(year, month - 1, day));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay(), minute, offset };
}

/**
 * The latest instant on the local date year-month-day, at or before `now`, at which the schedule's
 * state changes; undefined if none. Candidates are the periods' begin and end minutes and midnight
 * (where day filters change). On a date whose UTC offset is steady the wall clock is plain arithmetic;
 * on a date with a daylight-saving transition each candidate is checked with the zone's clock.
 */
function lastChangeOnDate(schedule: Schedule, year: number, month: number, day: number, minutes: readonly number[], now: number, offsetOf: (instant: number) => number): number | undefined {
  const utcMidnight = Date.UTC(year, month - 1, day);
  const before = offsetOf(utcMidnight - 86_400_000);
  const after = offsetOf(utcMidnight + 2 * 86_400_000);
  let latest: number | undefined;
  if (before === after) {
    for (const minute of minutes) {
      const instant = utcMidnight + (minute - before) * MINUTE;
      if (instant > now || (latest !== undefined && instant <= latest)) continue;
      const at = wallOf(year, month, day, minute, before);
      const justBefore = minute > 0 ? wallOf(year, month, day, minute - 1, before) : wallOf(year, month, day - 1, 1439, before);
      if (wantsRunningAt(schedule, at) !== wantsRunningAt(schedule, justBefore)) latest = instant;
    }
    return latest;
  }
  for (const candidate of instantsOnDate(year, month, day, minutes, schedule.timezone)) {
    const instant = Math.floor(candidate / MINUTE) * MINUTE;
    if (instant > now || (latest !== undefined && instant <= latest)) continue;
    if (desiredStateAt(schedule, instant) !== desiredStateAt(schedule, instant - MINUTE)) latest = instant;
  }
  return latest;
}

/** A period that covers every minute of every day: its schedule never changes state. */
const isAllTheTime = (period: Period): boolean =>
  period.begin === 0 && period.end === 1440 && !period.monthDays && !period.months && (!period.weekdays || new Set(period.weekdays).size === 7);

/** The state a schedule wants now and since when (the start of the current running/stopped window). */
export function scheduleState(schedule: Schedule, now: number): ScheduleState {
  const today = scheduleClock(now, schedule.timezone);
  const clock = describeWallTime(today);
  const state = desiredStateAt(schedule, now);
  if (schedule.override || schedule.periods.some(isAllTheTime)) return { state, clock };
  const minutes = [...new Set([0, ...schedule.periods.flatMap((period) => [period.begin % 1440, period.end % 1440])])];
  const offsets = new Map<number, number>();
  const offsetOf = (instant: number): number => {
    let offset = offsets.get(instant);
    if (offset === undefined) {
      offset = wallTime(instant, schedule.timezone).offset;
      offsets.set(instant, offset);
    }
    return offset;
  };
  for (let back = 0; back <= LOOKBACK_DAYS; back++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    const since = lastChangeOnDate(schedule, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minutes, now, offsetOf);
    // The latest change at or before now; the state has held since.
    if (since !== undefined) return { state, since, clock };
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
    const inGroup = autoScaled(instance);
    if (inGroup) {
      plan.skipped.push({ instanceId, schedule: name, reason: inGroup });
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
    const inGroup = autoScaled(instance);
    if (inGroup) plan.skipped.push({ ...base, reason: inGroup });
    else if (instance.state === actionable) {
      const schedule = instance.schedule === undefined ? undefined : schedules[instance.schedule];
      if (action === 'start') plan.start.push({ ...base, reason });
      else plan.stop.push({ ...base, reason, hibernate: (schedule?.hibernate ?? false) && instance.hibernationConfigured === true });
    } else if (done.includes(instance.state)) plan.skipped.push({ ...base, reason: `already ${instance.state}` });
    else plan.skipped.push({ ...base, reason: `cannot ${action} from state ${instance.state}` });
  }
  return plan;
}
