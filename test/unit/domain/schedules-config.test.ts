import schedulesFile from '../../../config/schedules.json';
import { loadSchedulerConfig } from '../../../handlers/domain/scheduling/schedules';
import { ConfigurationError } from '../../../handlers/platform/errors';
import { thrownBy } from '../support/errors';

const problemsOf = (raw: unknown): readonly string[] => {
  const error = thrownBy(() => loadSchedulerConfig(raw));
  expect(error).toBeInstanceOf(ConfigurationError);
  return (error as ConfigurationError).variables;
};

const withSchedule = (schedule: Record<string, unknown>) => ({ schedules: { 'office-hours': schedule } });

describe('loadSchedulerConfig', () => {
  it('accepts the repository configuration file, with its defaults', () => {
    const config = loadSchedulerConfig(schedulesFile);

    expect(Object.keys(config.schedules)).toEqual(['office-hours', 'office-hours-ny', 'night-batch', 'month-end', 'always-on', 'maintenance']);
    expect(config.schedules['office-hours']?.periods[0]).toMatchObject({ begin: 420, end: 1140, overnight: false });
  });

  it('defaults to acting (not a dry run), 50 instances a call', () => {
    const config = loadSchedulerConfig(withSchedule({ timezone: 'UTC', periods: [{}] }));

    expect({ dryRun: config.dryRun, batchSize: config.batchSize }).toEqual({ dryRun: false, batchSize: 50 });
  });

  it('names the schedule and field of an unknown time zone', () => {
    expect(problemsOf(withSchedule({ timezone: 'Europe/Berln', periods: [{}] }))).toEqual([
      'schedule "office-hours" field timezone: must be an IANA time zone such as Europe/Berlin',
    ]);
  });

  it('refuses a period that ends before it begins unless it says it runs overnight', () => {
    const backwards = withSchedule({ timezone: 'UTC', periods: [{ begin: '22:00', end: '06:00' }] });
    const overnight = withSchedule({ timezone: 'UTC', periods: [{ begin: '22:00', end: '06:00', overnight: true }] });

    expect(problemsOf(backwards)).toEqual([
      'schedule "office-hours" field periods[0].end: must be after begin; a period that runs past midnight says so with "overnight": true',
    ]);
    expect(loadSchedulerConfig(overnight).schedules['office-hours']?.periods[0]).toMatchObject({ begin: 1320, end: 360, overnight: true });
  });

  it('refuses an overnight period that does not end before it begins', () => {
    expect(problemsOf(withSchedule({ timezone: 'UTC', periods: [{ begin: '08:00', end: '18:00', overnight: true }] }))).toEqual([
      'schedule "office-hours" field periods[0].end: an overnight period must end (next day, after 00:00) before it begins',
    ]);
  });

  it.each([
    ['a malformed time', { begin: '7:00' }, 'periods[0].begin: must be a time HH:MM from 00:00 to 24:00'],
    ['an hour past 24', { end: '25:00' }, 'periods[0].end: must be a time HH:MM from 00:00 to 24:00'],
    ['an unknown weekday', { weekdays: ['mon', 'fry'] }, 'periods[0].weekdays[1]: '],
    ['a month day 32', { monthDays: [32] }, 'periods[0].monthDays[0]: '],
    ['an unknown field', { weekday: ['mon'] }, 'periods[0]: '],
  ])('names the field of %s', (_label, period, expected) => {
    const problems = problemsOf(withSchedule({ timezone: 'UTC', periods: [period] }));

    expect(problems).toEqual([expect.stringContaining(`schedule "office-hours" field ${expected}`)]);
  });

  it('refuses a schedule with neither periods nor an override, and an unknown flag', () => {
    expect(problemsOf(withSchedule({ timezone: 'UTC' }))).toEqual(['schedule "office-hours" field periods: needs at least one period (or an override)']);
    expect(problemsOf(withSchedule({ timezone: 'UTC', periods: [{}], enforce: true }))).toEqual([expect.stringContaining('schedule "office-hours": ')]);
  });

  it('refuses an empty file and a bad batch size, naming the field', () => {
    expect(problemsOf({ schedules: {} })).toEqual(['field schedules: must name at least one schedule']);
    expect(problemsOf({ batchSize: 0, schedules: { a: { timezone: 'UTC', periods: [{}] } } })).toEqual([expect.stringMatching(/^field batchSize: /)]);
  });

  it('says which file is wrong', () => {
    const error = thrownBy(() => loadSchedulerConfig({ schedules: {} }, 'config/schedules.json'));

    expect((error as Error).message).toBe('Invalid scheduler configuration (config/schedules.json): field schedules: must name at least one schedule');
  });
});
