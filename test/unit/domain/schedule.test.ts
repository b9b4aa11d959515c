import {
  decide,
  decideExplicit,
  desiredStateAt,
  type Plan,
  type ScheduledInstance,
  scheduleState,
} from '../../../handlers/domain/scheduling/schedule';
import { loadSchedulerConfig, type Schedule } from '../../../handlers/domain/scheduling/schedules';

const at = (iso: string): number => Date.parse(iso);

/** One schedule through the real configuration parser, so defaults and time parsing are the file's. */
function schedule(definition: Record<string, unknown>): Schedule {
  const config = loadSchedulerConfig({ schedules: { s: definition } });
  const parsed = config.schedules.s;
  if (!parsed) throw new Error('no schedule');
  return parsed;
}

const berlinOffice = schedule({ timezone: 'Europe/Berlin', periods: [{ begin: '07:00', end: '19:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }] });
const nightBatch = schedule({
  timezone: 'UTC',
  periods: [{ begin: '22:00', end: '04:00', weekdays: ['sun', 'mon', 'tue', 'wed', 'thu'], overnight: true }],
  hibernate: true,
});

const schedules: Record<string, Schedule> = {
  'office-hours': berlinOffice,
  'office-enforced': schedule({ ...{ timezone: 'Europe/Berlin', periods: [{ begin: '07:00', end: '19:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }] }, enforced: true }),
  'night-batch': nightBatch,
  'month-end': schedule({ timezone: 'Europe/London', periods: [{ monthDays: [1, 2, 3] }], retainRunning: true }),
  'always-on': schedule({ timezone: 'UTC', periods: [{}] }),
  maintenance: schedule({ timezone: 'UTC', override: 'stopped' }),
  'open-for-maintenance': schedule({ timezone: 'UTC', periods: [{ begin: '09:00', end: '10:00' }], override: 'running' }),
};

const instance = (instanceId: string, state: string, name: string | undefined, extra: Partial<ScheduledInstance> = {}): ScheduledInstance => ({
  instanceId,
  state,
  schedule: name,
  ...extra,
});

const ids = (plan: Plan) => ({
  start: plan.start.map((t) => t.instanceId),
  stop: plan.stop.map((t) => t.instanceId),
  retain: plan.retain.map((t) => t.instanceId),
  skipped: plan.skipped.map((s) => s.instanceId),
});

describe('desiredStateAt: weekdays and the time zone', () => {
  it.each([
    ['Thu 06:59 Berlin (05:59Z, CET)', '2026-03-26T05:59:00Z', 'stopped'],
    ['Thu 07:00 Berlin', '2026-03-26T06:00:00Z', 'running'],
    ['Thu 18:59 Berlin', '2026-03-26T17:59:00Z', 'running'],
    ['Thu 19:00 Berlin', '2026-03-26T18:00:00Z', 'stopped'],
    ['Sat 10:00 Berlin (weekend)', '2026-03-28T09:00:00Z', 'stopped'],
    ['Sun 23:59 Berlin', '2026-03-29T21:59:00Z', 'stopped'],
    ['Mon 07:00 Berlin (CEST now, 05:00Z)', '2026-03-30T05:00:00Z', 'running'],
    ['Mon 06:00Z is 08:00 CEST, inside', '2026-03-30T06:00:00Z', 'running'],
    ['Mon 04:59Z is 06:59 CEST, outside', '2026-03-30T04:59:00Z', 'stopped'],
  ])('%s', (_label, iso, expected) => {
    expect(desiredStateAt(berlinOffice, at(iso))).toBe(expected);
  });
});

describe('desiredStateAt: a period that crosses midnight belongs to the day it begins on', () => {
  it.each([
    ['Sun 21:59', '2026-03-22T21:59:00Z', 'stopped'],
    ['Sun 22:00 (Sunday night begins)', '2026-03-22T22:00:00Z', 'running'],
    ['Mon 00:00 (still Sunday night)', '2026-03-23T00:00:00Z', 'running'],
    ['Mon 03:59', '2026-03-23T03:59:00Z', 'running'],
    ['Mon 04:00 (ends)', '2026-03-23T04:00:00Z', 'stopped'],
    ['Fri 02:00 (Thursday night)', '2026-03-27T02:00:00Z', 'running'],
    ['Fri 23:00 (no Friday night)', '2026-03-27T23:00:00Z', 'stopped'],
    ['Sat 02:00 (no Friday night)', '2026-03-28T02:00:00Z', 'stopped'],
  ])('%s', (_label, iso, expected) => {
    expect(desiredStateAt(nightBatch, at(iso))).toBe(expected);
  });
});

describe('desiredStateAt: month days and months', () => {
  const quarterly = schedule({ timezone: 'UTC', periods: [{ begin: '08:00', end: '12:00', monthDays: [1], months: [1, 4, 7, 10] }] });

  it.each([
    ['1 April 09:00', '2026-04-01T09:00:00Z', 'running'],
    ['2 April 09:00', '2026-04-02T09:00:00Z', 'stopped'],
    ['1 May 09:00', '2026-05-01T09:00:00Z', 'stopped'],
    ['1 July 11:59', '2026-07-01T11:59:00Z', 'running'],
  ])('%s', (_label, iso, expected) => {
    expect(desiredStateAt(quarterly, at(iso))).toBe(expected);
  });
});

describe('daylight saving: clocks go forward (the skipped hour)', () => {
  // Europe/Berlin, Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z.
  const beginsInGap = schedule({ timezone: 'Europe/Berlin', periods: [{ begin: '02:30', end: '06:00' }] });
  const endsInGap = schedule({ timezone: 'Europe/Berlin', periods: [{ begin: '01:00', end: '02:30' }] });
  // America/New_York, Sunday 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z.
  const nyBeginsInGap = schedule({ timezone: 'America/New_York', periods: [{ begin: '02:30', end: '05:00' }] });

  it('starts a Berlin period that begins in the skipped hour when the clock reads 03:00', () => {
    expect(desiredStateAt(beginsInGap, at('2026-03-29T00:59:00Z'))).toBe('stopped');
    expect(desiredStateAt(beginsInGap, at('2026-03-29T01:00:00Z'))).toBe('running');
    expect(scheduleState(beginsInGap, at('2026-03-29T01:10:00Z')).since).toBe(at('2026-03-29T01:00:00Z'));
  });

  it('ends a Berlin period that ends in the skipped hour when the clock reads 03:00', () => {
    expect(desiredStateAt(endsInGap, at('2026-03-29T00:59:00Z'))).toBe('running');
    expect(desiredStateAt(endsInGap, at('2026-03-29T01:00:00Z'))).toBe('stopped');
  });

  it('does the same in New York', () => {
    expect(desiredStateAt(nyBeginsInGap, at('2026-03-08T06:59:00Z'))).toBe('stopped');
    expect(desiredStateAt(nyBeginsInGap, at('2026-03-08T07:00:00Z'))).toBe('running');
    expect(desiredStateAt(nyBeginsInGap, at('2026-03-08T08:59:00Z'))).toBe('running');
    expect(desiredStateAt(nyBeginsInGap, at('2026-03-08T09:00:00Z'))).toBe('stopped');
  });

  it('keeps office hours at 07:00 local on both sides of the change', () => {
    expect(desiredStateAt(berlinOffice, at('2026-03-27T06:00:00Z'))).toBe('running'); // Fri 07:00 CET
    expect(desiredStateAt(berlinOffice, at('2026-03-30T05:00:00Z'))).toBe('running'); // Mon 07:00 CEST
    expect(desiredStateAt(berlinOffice, at('2026-03-30T04:59:00Z'))).toBe('stopped');
  });
});

describe('daylight saving: clocks go back (the repeated hour)', () => {
  // Europe/Berlin, Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z; 02:00-02:59 happens twice.
  const endsInRepeat = schedule({ timezone: 'Europe/Berlin', periods: [{ begin: '20:00', end: '02:30', overnight: true }] });
  const beginsInRepeat = schedule({ timezone: 'Europe/Berlin', periods: [{ begin: '02:30', end: '06:00' }] });
  // America/New_York, Sunday 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z; 01:00-01:59 happens twice.
  const nyEndsInRepeat = schedule({ timezone: 'America/New_York', periods: [{ begin: '00:00', end: '01:30' }] });

  it('ends a Berlin period at the first 02:30 and does not start it again in the second pass', () => {
    expect(desiredStateAt(endsInRepeat, at('2026-10-25T00:29:00Z'))).toBe('running'); // 02:29 CEST
    expect(desiredStateAt(endsInRepeat, at('2026-10-25T00:30:00Z'))).toBe('stopped'); // 02:30 CEST
    expect(desiredStateAt(endsInRepeat, at('2026-10-25T01:10:00Z'))).toBe('stopped'); // 02:10 CET, second pass
    expect(desiredStateAt(endsInRepeat, at('2026-10-25T01:45:00Z'))).toBe('stopped'); // 02:45 CET
    expect(desiredStateAt(endsInRepeat, at('2026-10-25T02:00:00Z'))).toBe('stopped'); // 03:00 CET
  });

  it('begins a Berlin period at the first 02:30 and keeps it running through the second pass', () => {
    expect(desiredStateAt(beginsInRepeat, at('2026-10-25T00:29:00Z'))).toBe('stopped');
    expect(desiredStateAt(beginsInRepeat, at('2026-10-25T00:30:00Z'))).toBe('running');
    expect(desiredStateAt(beginsInRepeat, at('2026-10-25T01:10:00Z'))).toBe('running'); // 02:10 CET
    expect(scheduleState(beginsInRepeat, at('2026-10-25T01:10:00Z')).since).toBe(at('2026-10-25T00:30:00Z'));
  });

  it('ends a New York period at the first 01:30 and keeps it ended through the second pass', () => {
    expect(desiredStateAt(nyEndsInRepeat, at('2026-11-01T05:29:00Z'))).toBe('running'); // 01:29 EDT
    expect(desiredStateAt(nyEndsInRepeat, at('2026-11-01T05:30:00Z'))).toBe('stopped'); // 01:30 EDT
    expect(desiredStateAt(nyEndsInRepeat, at('2026-11-01T06:10:00Z'))).toBe('stopped'); // 01:10 EST
    expect(desiredStateAt(nyEndsInRepeat, at('2026-11-02T05:10:00Z'))).toBe('running'); // Mon 00:10 EST
  });

  it('stops once and does nothing in the second pass of the repeated hour', () => {
    const list = { night: endsInRepeat };
    const first = decide([instance('i-1', 'running', 'night')], list, at('2026-10-25T00:35:00Z'));
    const stoppedThen = instance('i-1', 'stopped', 'night', { lastAction: { action: 'stopped', at: at('2026-10-25T00:35:00Z') } });

    const second = decide([stoppedThen], list, at('2026-10-25T01:10:00Z'));

    expect(ids(first).stop).toEqual(['i-1']);
    expect(ids(second)).toEqual({ start: [], stop: [], retain: [], skipped: ['i-1'] });
  });
});

describe('scheduleState: when the current window began', () => {
  it('is the last period end for a stopped office-hours schedule on Saturday', () => {
    const state = scheduleState(berlinOffice, at('2026-03-28T09:00:00Z'));

    expect(state).toEqual({ state: 'stopped', since: at('2026-03-27T18:00:00Z'), clock: 'Sat 2026-03-28 10:00 (+01:00)' });
  });

  it('is the period begin for a running overnight schedule after midnight', () => {
    expect(scheduleState(nightBatch, at('2026-03-24T01:00:00Z')).since).toBe(at('2026-03-23T22:00:00Z'));
  });

  it('is the last Friday close across a daylight-saving weekend, in Berlin and New York', () => {
    const nyOffice = schedule({ timezone: 'America/New_York', periods: [{ begin: '08:00', end: '18:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }] });

    expect(scheduleState(berlinOffice, at('2026-03-30T04:00:00Z')).since).toBe(at('2026-03-27T18:00:00Z')); // Fri 19:00 CET
    expect(scheduleState(nyOffice, at('2026-03-09T11:00:00Z')).since).toBe(at('2026-03-06T23:00:00Z')); // Fri 18:00 EST
    expect(scheduleState(nyOffice, at('2026-11-02T12:59:00Z')).since).toBe(at('2026-10-30T22:00:00Z')); // Fri 18:00 EDT
  });

  it.each([
    ['Berlin, overnight, clocks go back', { timezone: 'Europe/Berlin', periods: [{ begin: '20:00', end: '02:30', overnight: true }] }, '2026-10-25T01:40:00Z'],
    ['Berlin, begins in the repeated hour', { timezone: 'Europe/Berlin', periods: [{ begin: '02:30', end: '06:00' }] }, '2026-10-25T03:00:00Z'],
    ['Berlin, begins in the skipped hour', { timezone: 'Europe/Berlin', periods: [{ begin: '02:30', end: '06:00' }] }, '2026-03-29T02:00:00Z'],
    ['New York, ends in the repeated hour', { timezone: 'America/New_York', periods: [{ begin: '00:00', end: '01:30' }] }, '2026-11-01T07:00:00Z'],
    ['New York, two periods a day', { timezone: 'America/New_York', periods: [{ begin: '06:00', end: '09:00' }, { begin: '17:00', end: '23:30' }] }, '2026-03-08T12:00:00Z'],
    ['Sydney, weekdays', { timezone: 'Australia/Sydney', periods: [{ begin: '07:30', end: '18:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] }] }, '2026-04-05T10:00:00Z'],
  ])('agrees with a minute-by-minute scan of the clock (%s)', (_label, definition, iso) => {
    const subject = schedule(definition);
    const now = at(iso);
    const state = desiredStateAt(subject, now);
    let scanned = now;
    while (desiredStateAt(subject, scanned - 60_000) === state) scanned -= 60_000;

    expect(scheduleState(subject, now).since).toBe(scanned);
  });

  it('is unknown for a schedule that never changes', () => {
    expect(scheduleState(schedules['always-on'] as Schedule, at('2026-03-24T01:00:00Z'))).toEqual({
      state: 'running',
      clock: 'Tue 2026-03-24 01:00 (+00:00)',
    });
  });
});

describe('decide: the reconcile decision', () => {
  const thursdayNoon = at('2026-03-26T11:00:00Z');
  const thursdayNight = at('2026-03-26T21:00:00Z');
  const saturday = at('2026-03-28T09:00:00Z');

  it('starts stopped instances inside their periods and stops running ones outside, with reasons', () => {
    const instances = [instance('i-in', 'stopped', 'office-hours'), instance('i-night', 'running', 'night-batch')];

    const plan = decide(instances, schedules, thursdayNoon);

    expect(plan.start).toEqual([{ instanceId: 'i-in', schedule: 'office-hours', reason: 'office-hours inside its periods at Thu 2026-03-26 12:00 (+01:00)' }]);
    expect(plan.stop).toEqual([
      { instanceId: 'i-night', schedule: 'night-batch', reason: 'night-batch outside its periods at Thu 2026-03-26 11:00 (+00:00)', hibernate: false },
    ]);
  });

  it('stops running instances on the weekend', () => {
    const plan = decide([instance('i-1', 'running', 'office-hours'), instance('i-2', 'stopped', 'office-hours')], schedules, saturday);

    expect(ids(plan)).toEqual({ start: [], stop: ['i-1'], retain: [], skipped: ['i-2'] });
  });

  it('leaves instances in transition (pending, stopping, shutting-down) for a later run', () => {
    const instances = [instance('i-p', 'pending', 'office-hours'), instance('i-s', 'stopping', 'office-hours'), instance('i-d', 'shutting-down', 'office-hours')];

    const plan = decide(instances, schedules, thursdayNight);

    expect(plan.skipped.map((s) => s.reason)).toEqual(['pending; a later run decides', 'stopping; a later run decides', 'shutting-down; a later run decides']);
    expect(plan.start.length + plan.stop.length).toBe(0);
  });

  it('reports an instance whose tag names no configured schedule, and acts on nothing for it', () => {
    const plan = decide([instance('i-typo', 'running', 'office-hour'), instance('i-empty', 'running', undefined)], schedules, thursdayNight);

    expect(plan.skipped).toEqual([
      { instanceId: 'i-typo', schedule: 'office-hour', reason: 'schedule tag names no configured schedule: "office-hour"', unknownSchedule: true },
      { instanceId: 'i-empty', schedule: undefined, reason: 'schedule tag names no configured schedule: ""', unknownSchedule: true },
    ]);
  });

  it('leaves alone an instance started by hand after its scheduled stop, unless the schedule is enforced', () => {
    const stoppedAt19 = { lastAction: { action: 'stopped' as const, at: at('2026-03-26T18:02:00Z') } };
    const instances = [instance('i-free', 'running', 'office-hours', stoppedAt19), instance('i-enforced', 'running', 'office-enforced', stoppedAt19)];

    const plan = decide(instances, schedules, thursdayNight);

    expect(ids(plan)).toEqual({ start: [], stop: ['i-enforced'], retain: [], skipped: ['i-free'] });
  });

  it('leaves alone an instance stopped by hand during its period, unless the schedule is enforced', () => {
    const startedAt7 = { lastAction: { action: 'started' as const, at: at('2026-03-26T06:01:00Z') } };
    const instances = [instance('i-free', 'stopped', 'office-hours', startedAt7), instance('i-enforced', 'stopped', 'office-enforced', startedAt7)];

    const plan = decide(instances, schedules, thursdayNoon);

    expect(ids(plan)).toEqual({ start: ['i-enforced'], stop: [], retain: [], skipped: ['i-free'] });
  });

  it('acts on an instance whose last scheduler action was in an earlier window (a missed run heals)', () => {
    const stoppedYesterday = { lastAction: { action: 'stopped' as const, at: at('2026-03-25T18:00:00Z') } };

    const plan = decide([instance('i-1', 'stopped', 'office-hours', stoppedYesterday)], schedules, thursdayNoon);

    expect(ids(plan).start).toEqual(['i-1']);
  });

  it('hibernates, on a hibernate schedule, only the instances configured for it', () => {
    const instances = [instance('i-h', 'running', 'night-batch', { hibernationConfigured: true }), instance('i-n', 'running', 'night-batch')];

    const plan = decide(instances, schedules, thursdayNoon);

    expect(plan.stop.map((t) => [t.instanceId, t.hibernate])).toEqual([
      ['i-h', true],
      ['i-n', false],
    ]);
  });

  it('retainRunning: marks an instance already running when its period begins, and leaves it running at the end', () => {
    const periodStart = at('2026-04-01T00:05:00Z'); // 01:05 BST on the 1st
    const afterPeriod = at('2026-04-04T00:05:00Z');

    const first = decide([instance('i-r', 'running', 'month-end'), instance('i-s', 'stopped', 'month-end')], schedules, periodStart);
    const again = decide([instance('i-r', 'running', 'month-end', { lastAction: { action: 'retained', at: periodStart } })], schedules, periodStart);
    const end = decide(
      [
        instance('i-r', 'running', 'month-end', { lastAction: { action: 'retained', at: periodStart } }),
        instance('i-s', 'running', 'month-end', { lastAction: { action: 'started', at: periodStart } }),
      ],
      schedules,
      afterPeriod,
    );

    expect(ids(first)).toEqual({ start: ['i-s'], stop: [], retain: ['i-r'], skipped: [] });
    expect(ids(again)).toEqual({ start: [], stop: [], retain: [], skipped: ['i-r'] });
    expect(ids(end)).toEqual({ start: [], stop: ['i-s'], retain: [], skipped: ['i-r'] });
  });

  it('overrides: keeps a maintenance instance stopped even right after it was stopped and started by hand', () => {
    const justStopped = { lastAction: { action: 'stopped' as const, at: thursdayNoon - 60_000 } };

    const plan = decide(
      [instance('i-m', 'running', 'maintenance', justStopped), instance('i-o', 'stopped', 'open-for-maintenance', { lastAction: { action: 'started', at: thursdayNoon - 60_000 } })],
      schedules,
      thursdayNoon,
    );

    expect(ids(plan)).toEqual({ start: ['i-o'], stop: ['i-m'], retain: [], skipped: [] });
    expect(plan.stop[0]?.reason).toBe('maintenance override stopped');
  });

  it('lets an explicit stop of an always-on instance stand (never-changing schedule, not enforced)', () => {
    const explicitlyStopped = instance('i-a', 'stopped', 'always-on', { lastAction: { action: 'stopped', at: at('2026-03-20T10:00:00Z') } });
    const neverTouched = instance('i-b', 'stopped', 'always-on');

    const plan = decide([explicitlyStopped, neverTouched], schedules, thursdayNoon);

    expect(ids(plan)).toEqual({ start: ['i-b'], stop: [], retain: [], skipped: ['i-a'] });
  });

  it('never acts on an instance of an Auto Scaling group (the group would replace it)', () => {
    const member = instance('i-asg', 'running', 'maintenance', { autoScalingGroup: 'web-asg' });

    const reconcile = decide([member], schedules, thursdayNoon);
    const explicit = decideExplicit('stop', [member], schedules, 'explicit stop');

    expect([reconcile.skipped, explicit.skipped]).toEqual([
      [{ instanceId: 'i-asg', schedule: 'maintenance', reason: 'member of Auto Scaling group web-asg; schedule the group, not its instances' }],
      [{ instanceId: 'i-asg', schedule: 'maintenance', reason: 'member of Auto Scaling group web-asg; schedule the group, not its instances' }],
    ]);
  });

  it('does nothing on a second run after the first one acted', () => {
    const instances = [
      instance('i-1', 'stopped', 'office-hours'),
      instance('i-2', 'running', 'night-batch'),
      instance('i-3', 'running', 'office-hours'),
      instance('i-4', 'running', 'maintenance'),
    ];
    const first = decide(instances, schedules, thursdayNoon);
    const acted = { lastAction: { action: 'started' as const, at: thursdayNoon } };
    const after = instances.map((i) =>
      first.start.some((t) => t.instanceId === i.instanceId)
        ? { ...i, state: 'running', ...acted }
        : first.stop.some((t) => t.instanceId === i.instanceId)
          ? { ...i, state: 'stopped', lastAction: { action: 'stopped' as const, at: thursdayNoon } }
          : i,
    );

    const second = decide(after, schedules, thursdayNoon);

    expect(ids(first)).toEqual({ start: ['i-1'], stop: ['i-2', 'i-4'], retain: [], skipped: ['i-3'] });
    expect(second.start.length + second.stop.length + second.retain.length).toBe(0);
  });
});

describe('decideExplicit: stop (or start) what the event selects, now', () => {
  it('stops the running instances and skips the others with reasons', () => {
    const instances = [
      instance('i-run', 'running', 'always-on'),
      instance('i-hib', 'running', 'night-batch', { hibernationConfigured: true }),
      instance('i-stopped', 'stopped', 'always-on'),
      instance('i-pending', 'pending', 'always-on'),
    ];

    const plan = decideExplicit('stop', instances, schedules, 'explicit stop');

    expect(plan.stop).toEqual([
      { instanceId: 'i-run', schedule: 'always-on', reason: 'explicit stop', hibernate: false },
      { instanceId: 'i-hib', schedule: 'night-batch', reason: 'explicit stop', hibernate: true },
    ]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['already stopped', 'cannot stop from state pending']);
  });

  it('starts the stopped instances', () => {
    const plan = decideExplicit('start', [instance('i-1', 'stopped', 'x'), instance('i-2', 'running', 'x')], schedules, 'explicit start');

    expect(ids(plan)).toEqual({ start: ['i-1'], stop: [], retain: [], skipped: ['i-2'] });
  });
});
