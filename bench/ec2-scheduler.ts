/**
 * EC2 scheduler figures:
 *   npx tsx bench/ec2-scheduler.ts [--decide 10000] [--instances 1000]
 * 1. Decision time: the pure decide() for N instances across the schedules of config/schedules.json
 *    (first run, which works out each schedule's window, and the median of 20 more).
 * 2. EC2 API calls for a reconcile run on 1,000 instances in a moto_server of its own (free port),
 *    counted by an SDK middleware, against the minimum that pagination (DescribeInstances pages of
 *    1,000) and batching (batchSize instances per Start/Stop/CreateTags call) allow; then a second run.
 */
import { parseArgs } from 'node:util';
import { StopInstancesCommand } from '@aws-sdk/client-ec2';
import schedulesFile from '../config/schedules.json';
import { DESCRIBE_PAGE_SIZE } from '../handlers/domain/scheduling/ec2-actions';
import { runScheduler } from '../handlers/domain/scheduling/run-schedule';
import { decide, type ScheduledInstance } from '../handlers/domain/scheduling/schedule';
import { loadSchedulerConfig } from '../handlers/domain/scheduling/schedules';
import { logger } from '../handlers/platform/logger';
import { launchInstances } from '../local-aws/seed-instances';
import { startOwnMoto } from '../test/support/own-moto';

const { values } = parseArgs({ options: { decide: { type: 'string', default: '10000' }, instances: { type: 'string', default: '1000' } } });
const config = loadSchedulerConfig(schedulesFile);
const NOW = Date.parse('2026-03-26T11:00:00Z'); // Thursday 12:00 in Berlin
const STATES = ['running', 'stopped', 'running', 'stopped', 'pending', 'stopping'];

function syntheticFleet(count: number): ScheduledInstance[] {
  const names = [...Object.keys(config.schedules), 'no-such-schedule'];
  return Array.from({ length: count }, (_, i) => ({
    instanceId: `i-${i.toString(16).padStart(17, '0')}`,
    state: STATES[i % STATES.length] ?? 'running',
    schedule: names[i % names.length],
    ...(i % 3 === 0 ? { lastAction: { action: i % 2 ? ('started' as const) : ('stopped' as const), at: NOW - (i % 50) * 3_600_000 } } : {}),
    hibernationConfigured: i % 4 === 0,
  }));
}

function benchDecision(count: number): void {
  const fleet = syntheticFleet(count);
  const first = performance.now();
  const plan = decide(fleet, config.schedules, NOW);
  const firstMs = performance.now() - first;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    decide(fleet, config.schedules, NOW + i * 60_000);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  process.stdout.write(
    `decide() for ${count} instances, ${Object.keys(config.schedules).length} schedules: first run ${firstMs.toFixed(1)} ms, median of 20 runs ${median.toFixed(1)} ms ` +
      `(start ${plan.start.length}, stop ${plan.stop.length}, left ${plan.skipped.length})\n`,
  );
}

async function benchApiCalls(count: number): Promise<void> {
  const moto = await startOwnMoto();
  try {
    // 40% office-hours stopped (started at Thursday noon), 30% maintenance running (stopped, override),
    // 30% always-on running (left alone).
    const groups = [
      { schedule: 'office-hours', share: 0.4, stop: true },
      { schedule: 'maintenance', share: 0.3, stop: false },
      { schedule: 'always-on', share: 0.3, stop: false },
    ];
    for (const group of groups) {
      let left = Math.round(count * group.share);
      while (left > 0) {
        const ids = await launchInstances(moto.ec2, [{ Key: 'Schedule', Value: group.schedule }], { count: Math.min(left, 100) });
        if (group.stop) await moto.ec2.send(new StopInstancesCommand({ InstanceIds: ids }));
        left -= ids.length;
      }
    }
    moto.counter.reset();
    logger.setLogLevel('WARN');
    const deps = { ec2: moto.counted, config, scheduleTagKey: 'Schedule', now: () => new Date(NOW) };
    const started = performance.now();
    const summary = await runScheduler(deps, { action: 'reconcile' });
    const elapsed = performance.now() - started;
    const counted = moto.counter.byAction();
    const batch = config.batchSize;
    const batches = (n: number) => Math.ceil(n / batch);
    const minimum = {
      DescribeInstances: Math.max(1, Math.ceil(summary.selected / DESCRIBE_PAGE_SIZE)),
      StartInstances: batches(summary.started.length),
      StopInstances: batches(summary.stopped.filter((t) => !t.hibernate).length) + batches(summary.stopped.filter((t) => t.hibernate).length),
      // One CreateTags per acted-on batch (the tag records what that call did).
      CreateTags: batches(summary.started.length) + batches(summary.stopped.length),
    };
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `reconcile of ${summary.selected} instances on moto (batch ${batch}, pages of ${DESCRIBE_PAGE_SIZE}): started ${summary.started.length}, stopped ${summary.stopped.length}, failed ${summary.failed.length}, ${elapsed.toFixed(0)} ms\n` +
        `  EC2 calls made:    ${total(counted)} ${JSON.stringify(counted)}\n` +
        `  minimum possible:  ${total(minimum)} ${JSON.stringify(minimum)}\n` +
        `  equal: ${total(counted) === total(minimum) && Object.entries(minimum).every(([k, v]) => (counted[k] ?? 0) === v)}\n`,
    );
    moto.counter.reset();
    const again = await runScheduler(deps, { action: 'reconcile' });
    process.stdout.write(`second run at the same time: ${again.started.length + again.stopped.length} actions, EC2 calls ${JSON.stringify(moto.counter.byAction())}\n`);
  } finally {
    await moto.stop();
  }
}

async function main(): Promise<void> {
  benchDecision(Number(values.decide));
  await benchApiCalls(Number(values.instances));
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
