/**
 * Wall-clock time in an IANA time zone, with Intl only (no date library): what a clock on the wall
 * of that zone shows at an instant, and which instants its daylight-saving transitions fall on.
 */

/** A zone's wall clock at one instant: the local date, weekday, minute of the day and UTC offset. */
export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0 = Sunday .. 6 = Saturday */
  weekday: number;
  /** 0..1439 */
  minute: number;
  /** Minutes ahead of UTC (Europe/Berlin in winter: 60). */
  offset: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** True when the runtime knows the IANA time zone (`Europe/Berlin`), false for anything else. */
export function isTimeZone(zone: string): boolean {
  if (!zone.includes('/') && zone !== 'UTC') return false;
  // The zones Intl lists are valid: a look-up (~2 ms once) instead of a formatter, whose first
  // construction loads ICU's calendar data (~16 ms of a cold start that may never need it).
  if (zone === 'UTC' || listedTimeZones().has(zone)) return true;
  // Aliases Intl accepts but does not list (Europe/Kyiv in some ICU versions): ask a formatter.
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

let listed: ReadonlySet<string> | undefined;
function listedTimeZones(): ReadonlySet<string> {
  listed ??= new Set(Intl.supportedValuesOf('timeZone'));
  return listed;
}

/** The wall clock of `zone` at `instant` (ms since the epoch), to the minute. */
export function wallTime(instant: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const offset = Math.round((local - (instant - (((instant % 1000) + 1000) % 1000))) / MINUTE);
  return { year, month, day, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(), minute: hour * 60 + minute, offset };
}

/** The instant (to the minute) at which the offset changes between `before` and `after`. */
function transitionBetween(before: number, after: number, zone: string): number {
  const offsetBefore = wallTime(before, zone).offset;
  let lo = Math.floor(before / MINUTE) * MINUTE;
  let hi = Math.ceil(after / MINUTE) * MINUTE;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
    if (wallTime(mid, zone).offset === offsetBefore) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The wall clock a schedule reads at `instant`. It is the zone's wall clock except in the hour that
 * repeats when clocks go back: its second pass reads as the last minute before the clocks went back,
 * so a period that ended in the first pass stays ended and one that began stays begun (nothing is
 * started or stopped twice). The hour skipped when clocks go forward needs nothing: the clock jumps
 * past it, and a period that begins inside it has begun when the clock reads the hour after.
 */
export function scheduleClock(instant: number, zone: string): WallTime {
  const now = wallTime(instant, zone);
  const earlier = wallTime(instant - 3 * HOUR, zone);
  const shift = earlier.offset - now.offset;
  if (shift > 0 && wallTime(instant - shift * MINUTE, zone).offset === earlier.offset) {
    return wallTime(transitionBetween(instant - shift * MINUTE, instant, zone) - MINUTE, zone);
  }
  return now;
}

/**
 * Every instant at which the wall clock of `zone` shows one of `minutes` on the local date
 * year-month-day (both readings where the hour repeats), plus the instants of the date's offset
 * transitions. The candidates for a schedule's state changes on that date.
 */
export function instantsOnDate(year: number, month: number, day: number, minutes: readonly number[], zone: string): number[] {
  const utcMidnight = Date.UTC(year, month - 1, day);
  const samples: { at: number; offset: number }[] = [];
  for (let k = -2; k <= 5; k++) {
    const at = utcMidnight + k * 6 * HOUR;
    samples.push({ at, offset: wallTime(at, zone).offset });
  }
  const instants = new Set<number>();
  const offsets = new Set(samples.map((sample) => sample.offset));
  for (const offset of offsets) for (const minute of minutes) instants.add(utcMidnight + (minute - offset) * MINUTE);
  for (let i = 1; i < samples.length; i++) {
    const previous = samples[i - 1];
    const sample = samples[i];
    if (previous && sample && previous.offset !== sample.offset) instants.add(transitionBetween(previous.at, sample.at, zone));
  }
  return [...instants];
}

/** `Thu 2026-03-26 19:05 (+01:00)`: a wall time for reasons and logs. */
export function describeWallTime(time: WallTime): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = time.offset < 0 ? '-' : '+';
  const abs = Math.abs(time.offset);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][time.weekday] ?? '';
  return `${weekday} ${time.year}-${pad(time.month)}-${pad(time.day)} ${pad(Math.floor(time.minute / 60))}:${pad(time.minute % 60)} (${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}
