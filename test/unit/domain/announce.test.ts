import { describeRun } from '../../../handlers/domain/scheduling/announce';
import type { RunSummary } from '../../../handlers/domain/scheduling/run-schedule';

const summary = (overrides: Partial<RunSummary>): RunSummary => ({
  action: 'reconcile',
  dryRun: false,
  at: '2026-03-26T18:05:00.000Z',
  selected: 4,
  started: [],
  stopped: [],
  retained: [],
  failed: [],
  unknownSchedule: [],
  unchanged: 0,
  ...overrides,
});

describe('describeRun', () => {
  it('lists what was stopped and what failed, with ids and reasons, as critical', () => {
    const announcement = describeRun(
      summary({
        stopped: [{ instanceId: 'i-1', schedule: 'office-hours', reason: 'office-hours outside its periods at Thu 2026-03-26 19:05 (+01:00)' }],
        failed: [{ instanceId: 'i-2', action: 'stop', code: 'IncorrectInstanceState', message: 'not in a state from which it can be stopped' }],
        unchanged: 2,
      }),
    );

    expect(announcement.title).toBe('EC2 scheduler reconcile: stop 1, failed 1');
    expect(announcement.severity).toBe('critical');
    expect(announcement.message.split('\n')).toEqual([
      'EC2 scheduler reconcile run at 2026-03-26T18:05:00.000Z; 4 instances selected, 2 left as they were.',
      'Stopped (1):',
      '  i-1 [office-hours] office-hours outside its periods at Thu 2026-03-26 19:05 (+01:00)',
      'FAILED (1):',
      '  i-2 stop: IncorrectInstanceState: not in a state from which it can be stopped',
    ]);
    expect(announcement.details).toMatchObject({ stopped: ['i-1'], failed: [{ instanceId: 'i-2', action: 'stop', code: 'IncorrectInstanceState' }] });
  });

  it('says a dry run would act, and warns about tags naming no schedule', () => {
    const announcement = describeRun(
      summary({ dryRun: true, started: [{ instanceId: 'i-1', reason: 'r' }], unknownSchedule: [{ instanceId: 'i-9', schedule: 'office-hour' }] }),
    );

    expect(announcement.title).toBe('[dry run] EC2 scheduler reconcile: would start 1, unknown schedule 1');
    expect(announcement.severity).toBe('warning');
    expect(announcement.message).toContain('(dry run: nothing was changed)');
    expect(announcement.message).toContain('Would start (1):');
  });

  it('keeps the message bounded for a large fleet (every id stays in details)', () => {
    const stopped = Array.from({ length: 1000 }, (_, i) => ({ instanceId: `i-${i}`, reason: 'outside its periods' }));

    const announcement = describeRun(summary({ stopped }));

    expect(announcement.message).toContain('... and 900 more');
    expect((announcement.details.stopped as string[]).length).toBe(1000);
  });
});
