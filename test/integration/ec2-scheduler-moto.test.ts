import { DescribeInstancesCommand, type Instance, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import schedulesFile from '../../config/schedules.json';
import { describeScheduledInstances, LAST_ACTION_AT_TAG, LAST_ACTION_TAG } from '../../handlers/domain/scheduling/ec2-actions';
import { SchedulerRunError } from '../../handlers/domain/scheduling/errors';
import { runScheduler, type RunSummary } from '../../handlers/domain/scheduling/run-schedule';
import { handleSchedulerRequest } from '../../handlers/domain/scheduling/scheduler';
import { loadSchedulerConfig, type SchedulerConfig } from '../../handlers/domain/scheduling/schedules';
import { launchInstances } from '../../local-aws/seed-instances';
import { names, sns } from '../support/local-aws';
import { type OwnMoto, startOwnMoto } from '../support/own-moto';

/**
 * The scheduler's domain code against a moto EC2 of this test's own, with the clock injected:
 * the repository's config/schedules.json, 50 instances across its schedules and states.
 */
const config: SchedulerConfig = loadSchedulerConfig(schedulesFile);
let moto: OwnMoto;

beforeAll(async () => {
  moto = await startOwnMoto();
}, 180_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const run = (iso: string, request: Parameters<typeof runScheduler>[1] = { action: 'reconcile' }, overrides: Partial<SchedulerConfig> = {}) =>
  runScheduler({ ec2: moto.counted, config: { ...config, ...overrides }, scheduleTagKey: 'Schedule', now: () => new Date(iso) }, request);

async function launch(schedule: string, running: number, stopped: number, options: { hibernation?: boolean; extraTags?: { Key: string; Value: string }[] } = {}) {
  const tags = [{ Key: 'Schedule', Value: schedule }, ...(options.extraTags ?? [])];
  const up = running ? await launchInstances(moto.ec2, tags, { count: running, hibernation: options.hibernation }) : [];
  const down = stopped ? await launchInstances(moto.ec2, tags, { count: stopped, hibernation: options.hibernation }) : [];
  if (down.length) await moto.ec2.send(new StopInstancesCommand({ InstanceIds: down }));
  return { running: up, stopped: down };
}

async function describeAll(): Promise<Map<string, Instance>> {
  const output = await moto.ec2.send(new DescribeInstancesCommand({}));
  return new Map((output.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId ?? '', i]));
}

const statesOf = async (ids: string[]) => {
  const all = await describeAll();
  return ids.map((id) => all.get(id)?.State?.Name);
};
const tagOf = (instance: Instance | undefined, key: string) => instance?.Tags?.find((tag) => tag.Key === key)?.Value;
const sorted = (ids: string[]) => [...ids].sort();
const ids = (targets: { instanceId: string }[]) => sorted(targets.map((t) => t.instanceId));

/** 50 instances over every schedule of config/schedules.json, and a tag naming none. */
async function fleet() {
  return {
    office: await launch('office-hours', 10, 10),
    night: await launch('night-batch', 5, 5, { hibernation: true }),
    ny: await launch('office-hours-ny', 5, 5),
    always: await launch('always-on', 3, 2),
    maintenance: await launch('maintenance', 2, 1),
    typo: await launch('office-hour', 2, 0),
  };
}

// Thursday 2026-03-26 11:00Z: 12:00 in Berlin (office hours), 07:00 in New York (before 08:00), 11:00 UTC.
const THURSDAY_NOON_BERLIN = '2026-03-26T11:00:00.000Z';
// 19:30 in Berlin (after hours), 14:30 in New York (office hours).
const THURSDAY_EVENING_BERLIN = '2026-03-26T18:30:00.000Z';

describe('the reconcile run on 50 instances (moto, clock injected)', () => {
  it('starts and stops exactly the instances their schedules say, and tags them', async () => {
    const f = await fleet();

    const summary = await run(THURSDAY_NOON_BERLIN);

    expect(ids(summary.started)).toEqual(sorted([...f.office.stopped, ...f.always.stopped]));
    expect(ids(summary.stopped)).toEqual(sorted([...f.night.running, ...f.ny.running, ...f.maintenance.running]));
    expect(summary.stopped.filter((t) => t.hibernate).map((t) => t.instanceId).sort()).toEqual(sorted(f.night.running));
    expect(summary.failed).toEqual([]);
    expect(summary.unknownSchedule.map((u) => u.instanceId).sort()).toEqual(sorted(f.typo.running));
    expect(summary.selected).toBe(50);
    const all = await describeAll();
    const running = [...all.values()].filter((i) => i.State?.Name === 'running').map((i) => i.InstanceId ?? '');
    expect(sorted(running)).toEqual(sorted([...f.office.running, ...f.office.stopped, ...f.always.running, ...f.always.stopped, ...f.typo.running]));
    const acted = all.get(f.office.stopped[0] ?? '');
    expect([tagOf(acted, LAST_ACTION_TAG), tagOf(acted, LAST_ACTION_AT_TAG)]).toEqual(['started', THURSDAY_NOON_BERLIN]);
    expect(tagOf(all.get(f.office.running[0] ?? ''), LAST_ACTION_TAG)).toBeUndefined();
  }, 180_000);

  it('does nothing on a second run at the same time: one DescribeInstances call and no action', async () => {
    await fleet();
    await run(THURSDAY_NOON_BERLIN);
    moto.counter.reset();

    const second = await run(THURSDAY_NOON_BERLIN);

    expect([second.started, second.stopped, second.retained, second.failed]).toEqual([[], [], [], []]);
    expect(moto.counter.byAction()).toEqual({ DescribeInstances: 1 });
  }, 180_000);

  it('at a later time stops what ended and starts what began, and respects hand-made changes as configured', async () => {
    const f = await fleet();
    await run(THURSDAY_NOON_BERLIN);
    // Someone stops an always-on instance by hand during the day (not enforced: it stays stopped).
    const [handStopped = ''] = f.always.running;
    await moto.ec2.send(new StopInstancesCommand({ InstanceIds: [handStopped] }));

    const evening = await run(THURSDAY_EVENING_BERLIN);

    expect(ids(evening.stopped)).toEqual(sorted([...f.office.running, ...f.office.stopped]));
    expect(ids(evening.started)).toEqual(sorted([...f.ny.running, ...f.ny.stopped, handStopped]));
    // always-on never changes state; the hand-stopped one had no scheduler action yet, so it is restarted.
    // Now someone starts an office-hours instance by hand after hours, and stops a New York one (enforced).
    const [lateWorker = ''] = f.office.running;
    const [nyStoppedByHand = ''] = f.ny.running;
    await moto.ec2.send(new StartInstancesCommand({ InstanceIds: [lateWorker] }));
    await moto.ec2.send(new StopInstancesCommand({ InstanceIds: [nyStoppedByHand] }));

    const later = await run('2026-03-26T19:00:00.000Z');

    expect(ids(later.started)).toEqual([nyStoppedByHand]);
    expect(ids(later.stopped)).toEqual([]);
    expect(await statesOf([lateWorker, nyStoppedByHand])).toEqual(['running', 'running']);
  }, 180_000);

  it('keeps going when one instance of a batch fails: the batch is split and only that one fails', async () => {
    const protectedIds = await launchInstances(moto.ec2, [{ Key: 'Schedule', Value: 'maintenance' }], { disableApiStop: true });
    const others = await launchInstances(moto.ec2, [{ Key: 'Schedule', Value: 'maintenance' }], { count: 9 });

    const summary = await run(THURSDAY_NOON_BERLIN);

    expect(summary.failed).toEqual([{ instanceId: protectedIds[0], action: 'stop', code: 'OperationNotPermitted', message: expect.any(String) }]);
    expect(ids(summary.stopped)).toEqual(sorted(others));
    expect(await statesOf(others)).toEqual(others.map(() => 'stopped'));
    expect(await statesOf(protectedIds)).toEqual(['running']);
  }, 180_000);

  it('fails the run after announcing it when an instance could not be acted on (on-failure destination, alarm)', async () => {
    await launchInstances(moto.ec2, [{ Key: 'Schedule', Value: 'maintenance' }], { disableApiStop: true });
    const scheduler = {
      ec2: moto.counted,
      sns,
      notificationsTopicArn: names.topicArn,
      config,
      scheduleTagKey: 'Schedule',
      now: () => new Date(THURSDAY_NOON_BERLIN),
    };

    const outcome = handleSchedulerRequest(scheduler, { action: 'reconcile' });

    await expect(outcome).rejects.toBeInstanceOf(SchedulerRunError);
    await expect(outcome).rejects.toMatchObject({ failures: [{ code: 'OperationNotPermitted' }] });
  }, 180_000);

  it('in a dry run changes nothing, writes no tag, and reports what it would do', async () => {
    const f = await fleet();
    const before = await describeAll();

    const summary: RunSummary = await run(THURSDAY_NOON_BERLIN, { action: 'reconcile', dryRun: true });

    expect(summary.dryRun).toBe(true);
    expect(ids(summary.started)).toEqual(sorted([...f.office.stopped, ...f.always.stopped]));
    expect(ids(summary.stopped)).toEqual(sorted([...f.night.running, ...f.ny.running, ...f.maintenance.running]));
    const after = await describeAll();
    expect([...after.values()].map((i) => [i.InstanceId, i.State?.Name, i.Tags?.length])).toEqual(
      [...before.values()].map((i) => [i.InstanceId, i.State?.Name, i.Tags?.length]),
    );
    expect(moto.counter.byAction()).toEqual({ DescribeInstances: 1, StartInstances: 1, StopInstances: 2 });
  }, 180_000);
});

describe('reading the instances (moto)', () => {
  it('reads every page, with the tag and state filters applied by EC2', async () => {
    const scheduled: string[] = [];
    for (let i = 0; i < 12; i++) scheduled.push(...(await launchInstances(moto.ec2, [{ Key: 'Schedule', Value: 'always-on' }])));
    await launchInstances(moto.ec2, [{ Key: 'Name', Value: 'not scheduled' }], { count: 3 });

    const instances = await describeScheduledInstances(moto.counted, { scheduleTagKey: 'Schedule' }, 5);

    expect(sorted(instances.map((i) => i.instanceId))).toEqual(sorted(scheduled));
    expect(moto.counter.byAction()).toEqual({ DescribeInstances: 3 });
  }, 180_000);
});

describe('explicit actions (moto)', () => {
  it('stops every running instance tagged Environment=dev now, whatever its schedule, and nothing else', async () => {
    const dev = await launch('always-on', 3, 1, { extraTags: [{ Key: 'Environment', Value: 'dev' }] });
    const prod = await launch('always-on', 2, 0, { extraTags: [{ Key: 'Environment', Value: 'prod' }] });
    const unscheduled = await launchInstances(moto.ec2, [{ Key: 'Environment', Value: 'dev' }]);

    const summary = await run(THURSDAY_NOON_BERLIN, { action: 'stop', tag: { key: 'Environment', value: 'dev' } });

    expect(ids(summary.stopped)).toEqual(sorted(dev.running));
    expect(await statesOf([...prod.running, ...unscheduled])).toEqual(['running', 'running', 'running']);
    // The next reconcile leaves them stopped (always-on is not enforced and the stop was the
    // scheduler's), and starts only the one that was stopped before, by no action of the scheduler.
    const next = await run('2026-03-26T11:05:00.000Z');
    expect(ids(next.started)).toEqual(dev.stopped);
    expect(await statesOf(dev.running)).toEqual(['stopped', 'stopped', 'stopped']);
  }, 180_000);

  it('starts the stopped instances of a schedule, and of a list of ids', async () => {
    const office = await launch('office-hours', 1, 3);
    const night = await launch('night-batch', 0, 2);

    const bySchedule = await run(THURSDAY_EVENING_BERLIN, { action: 'start', schedule: 'office-hours' });
    const byIds = await run(THURSDAY_EVENING_BERLIN, { action: 'start', instanceIds: [night.stopped[0] ?? ''] });

    expect(ids(bySchedule.started)).toEqual(sorted(office.stopped));
    expect(ids(byIds.started)).toEqual([night.stopped[0]]);
    expect(await statesOf(night.stopped)).toEqual(['running', 'stopped']);
  }, 180_000);
});
