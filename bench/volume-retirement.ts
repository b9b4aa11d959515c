/**
 * Volume retirement, locally (`sls offline start --stage test` on ports of its own, waits shortened
 * to the test stage's localStateWaitMs):
 *   npx tsx bench/volume-retirement.ts [--volumes 50] [--port-base 4700]
 * 1. One execution (one volume): how long each state takes locally (median per state, ms, from
 *    the execution history), Task states including their Lambda invocation through
 *    serverless-offline's Lambda API, the others the interpreter's own overhead.
 * 2. A run that retires N volumes (Map, MaxConcurrency from the stage): its wall time.
 * Prints BENCH_ROW lines for bench/main.ts and a readable table. Reported, never asserted.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateVolumeCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, GetExecutionHistoryCommand, type HistoryEvent, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ROOT } from '../shared/stage-env';
import { isolatedPorts, spawnStack } from '../test/support/stack-process';

const { values } = parseArgs({ options: { volumes: { type: 'string', default: '50' }, 'port-base': { type: 'string', default: '4700' } } });
const VOLUMES = Number(values.volumes);
const ports = isolatedPorts(Number(values['port-base']));
const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const sfn = new SFNClient({ region, endpoint: ports.endpoint, credentials });
const ec2 = new EC2Client({ region, endpoint: ports.env.AWS_ENDPOINT_URL_EC2, credentials });
const STATE_MACHINE = `arn:aws:states:${region}:000000000000:stateMachine:messaging-workers-test-retire-volumes`;
const row = (what: string, figure: number, unit: string, note?: string) =>
  process.stdout.write(`BENCH_ROW ${JSON.stringify({ section: 'Volume retirement', what, figure: Math.round(figure * 10) / 10, unit, goal: { kind: 'report' }, ...(note ? { note } : {}) })}\n`);

async function createVolumes(count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - i) }, () => ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1, VolumeType: 'gp3' }))));
  }
}

async function execute(input: unknown): Promise<{ execution: DescribeExecutionCommandOutput; events: HistoryEvent[] }> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, input: JSON.stringify(input) }));
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') {
      const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      return { execution, events };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Per state name: the durations (exit - enter, ms) of its runs, pairing each exit with the oldest open entry of that name. */
function stateDurations(events: HistoryEvent[]): Map<string, { type: string; ms: number[] }> {
  const open = new Map<string, number[]>();
  const durations = new Map<string, { type: string; ms: number[] }>();
  for (const event of events) {
    const type = event.type ?? '';
    const at = (event.timestamp instanceof Date ? event.timestamp.getTime() : Number(event.timestamp)) || 0;
    if (type.endsWith('StateEntered')) {
      const name = event.stateEnteredEventDetails?.name ?? '';
      open.set(name, [...(open.get(name) ?? []), at]);
    } else if (type.endsWith('StateExited')) {
      const name = event.stateExitedEventDetails?.name ?? '';
      const enteredAt = open.get(name)?.shift();
      if (enteredAt === undefined) continue;
      const entry = durations.get(name) ?? { type: type.replace(/StateExited$/, ''), ms: [] };
      entry.ms.push(at - enteredAt);
      durations.set(name, entry);
    }
  }
  return durations;
}

async function main(): Promise<void> {
  const stack = spawnStack('test', join(ROOT, '.local-aws', 'bench-volume-retirement.log'), { ...ports.env, LOCAL_AWS_LOG_LEVEL: 'WARN' });
  try {
    await stack.waitForLog('LOCAL_AWS_READY', 300_000);
    // A first execution warms the function (its cold start is not the workflow's overhead).
    await createVolumes(1);
    await execute({ dryRun: false, ageLimit: 0 });

    await createVolumes(1);
    const one = await execute({ dryRun: false, ageLimit: 0 });
    const perState = stateDurations(one.events);
    process.stdout.write(`One execution (1 volume): ${one.execution.status}, ${((one.execution.stopDate?.getTime() ?? 0) - (one.execution.startDate?.getTime() ?? 0)).toFixed(0)} ms\n`);
    process.stdout.write('  state                 type     median ms  runs\n');
    for (const [name, { type, ms }] of perState) {
      process.stdout.write(`  ${name.padEnd(21)} ${type.padEnd(8)} ${median(ms).toFixed(1).padStart(9)}  ${ms.length}\n`);
    }
    const tasks = [...perState.values()].filter((s) => s.type === 'Task').flatMap((s) => s.ms);
    const others = [...perState.entries()].filter(([, s]) => !['Task', 'Map', 'Wait'].includes(s.type)).flatMap(([, s]) => s.ms);
    row('one execution: a Task state (Lambda invoke through the local Lambda API, median)', median(tasks), 'ms', `${tasks.length} task states`);
    row('one execution: a Pass/Choice state (interpreter only, median)', median(others), 'ms', `${others.length} states`);
    row('one execution (1 volume), start to end', (one.execution.stopDate?.getTime() ?? 0) - (one.execution.startDate?.getTime() ?? 0), 'ms');

    await createVolumes(VOLUMES);
    const started = Date.now();
    const many = await execute({ dryRun: false, ageLimit: 0 });
    const output = JSON.parse(many.execution.output ?? '{}') as { retired?: string[] };
    const wallMs = Date.now() - started;
    process.stdout.write(`${VOLUMES}-volume run: ${many.execution.status}, ${output.retired?.length ?? 0} retired, ${wallMs} ms (waits shortened to the test stage's localStateWaitMs)\n`);
    row(`a run retiring ${VOLUMES} volumes (waits shortened, MaxConcurrency 5)`, wallMs, 'ms', `${output.retired?.length ?? 0} retired, status ${many.execution.status}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
