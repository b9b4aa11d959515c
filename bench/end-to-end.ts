/**
 * The SQS job bus end to end, side by side in one run, each on ports of its own:
 *   npx tsx bench/end-to-end.ts [--jobs 5000] [--rounds 5] [--port-base 4600] [--stage local]
 * 1. Ceiling: the local AWS alone (emulators + resources, no triggers) and a bare SDK v3
 *    receive + delete-batch loop, 5 loops, in this process: what the emulator serves on this machine.
 * 2. Peer: the stock serverless-offline-sqs 8.0.0 (bench/peer.ts: installed on demand in a scratch
 *    copy, never a dependency of the service) polling the same local AWS, with the same handler and
 *    its log outside the project folder.
 * 3. This project: `sls offline start` (local AWS, pollers and function runtime), cold then warm.
 * Each sends N canary jobs (batches of 10) to the work queue and measures from the first send
 * until every job has run and been deleted (the queue holds nothing, in flight or visible).
 * With E2E_CPU_PROF_DIR=<dir>, this project's two processes (`sls offline` with the function
 * runtime, and the local AWS) write CPU profiles there when they stop (bench/profiles/).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { compiledTemplate } from '../local-aws/template';
import { queueDepth, sendJobs } from '../test/support/queues';
import { isolatedPorts, jsonLines, spawnLogged, spawnStack, type StackProcess } from '../test/support/stack-process';
import { startPeer } from './peer';
import { childProcesses, processCpuMs } from './support/process-cpu';
import { formatTable, median, type Row, score } from './support/report';

export interface EndToEndFigures {
  ours: { cold: number; warm: number } | null;
  peer: number | null;
  ceiling: number | null;
  failures: number;
  samples?: { ceiling: number[]; peer: number[]; ours: number[] };
  /**
   * CPU time each process of this project's run used per warm round (ms, medians of the rounds;
   * Linux /proc): `sls offline` (framework and function runtime, its worker threads included), the
   * local AWS (emulator, event source mappings) and the bench process that sends the jobs.
   */
  oursCpuMs?: CpuPerRun | null;
  /** The same for the peer: its `sls offline` (pollers and function runtime), its local AWS, the sender. */
  peerCpuMs?: CpuPerRun | null;
}

interface CpuPerRun {
  runtime: number;
  localAws: number;
  sender: number;
}

/** Takes the CPU time of a run's processes before and after it; the medians of the runs, or null where /proc is not there. */
function cpuMeter(runtimePid: number | undefined, localAwsPid: number | undefined) {
  const runs: CpuPerRun[] = [];
  let failed = false;
  return {
    async measure<T>(run: () => Promise<T>): Promise<T> {
      const before = { runtime: processCpuMs(runtimePid ?? 0), localAws: processCpuMs(localAwsPid ?? 0), sender: process.cpuUsage() };
      const result = await run();
      const runtime = processCpuMs(runtimePid ?? 0);
      const localAws = processCpuMs(localAwsPid ?? 0);
      const sender = process.cpuUsage(before.sender);
      if (before.runtime === null || before.localAws === null || runtime === null || localAws === null) failed = true;
      else runs.push({ runtime: runtime - before.runtime, localAws: localAws - before.localAws, sender: (sender.user + sender.system) / 1000 });
      return result;
    },
    medians(): CpuPerRun | null {
      if (failed || runs.length === 0) return null;
      return { runtime: median(runs.map((r) => r.runtime)), localAws: median(runs.map((r) => r.localAws)), sender: median(runs.map((r) => r.sender)) };
    },
  };
}

const cpuText = (cpu: CpuPerRun | null | undefined) =>
  cpu ? `sls offline ${Math.round(cpu.runtime)} ms, local AWS ${Math.round(cpu.localAws)} ms, sender ${Math.round(cpu.sender)} ms` : 'not measured';

function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

const canaries = (count: number, label: string) => Array.from({ length: count }, (_, n) => ({ type: 'canary', id: `${label}-${n}` }));

/** Sends the jobs and waits until the queue holds none of them; messages per second, first send to last delete. */
async function drainRate(sqs: SQSClient, queueUrl: string, count: number, label: string): Promise<number> {
  const started = performance.now();
  await sendJobs(sqs, queueUrl, canaries(count, label));
  for (;;) {
    const { visible, inFlight } = await queueDepth(sqs, queueUrl);
    if (visible + inFlight === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return count / ((performance.now() - started) / 1000);
}

/**
 * The emulator's ceiling: 5 bare receive (10) + DeleteMessageBatch loops in a process of their own
 * (bench/support/ceiling-loops.ts), timed as the others: first send to an empty queue.
 */
async function ceilingRate(sqs: SQSClient, endpoint: string, queueUrl: string, count: number, scratch: string): Promise<number> {
  const loops = spawnLogged(['--import', 'tsx', join(__dirname, 'support', 'ceiling-loops.ts'), endpoint, queueUrl, String(count), '5'], join(scratch, 'ceiling.log'), {});
  try {
    await loops.waitForLog('CEILING_LOOPS_READY');
    return await drainRate(sqs, queueUrl, count, 'ceiling');
  } finally {
    await loops.stop();
  }
}

async function queueUrlOf(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`no queue ${name}`);
  return QueueUrl;
}

/** The local AWS without triggers (for the peer and the ceiling) and the peer polling its work queue. */
async function startPeerSide(options: { stage: string; portBase: number; scratch: string; log: (line: string) => void }, running: StackProcess[]) {
  const ports = isolatedPorts(options.portBase);
  const env = { ...ports.env, LOCAL_AWS_LOG_LEVEL: 'WARN' };
  const previous = { ...process.env };
  Object.assign(process.env, env);
  let template: unknown;
  try {
    template = compiledTemplate(options.stage);
  } finally {
    process.env = previous;
  }
  const templateFile = join(options.scratch, 'template.json');
  writeFileSync(templateFile, JSON.stringify(template));
  const localAws = spawnLogged(['--import', 'tsx', join(__dirname, 'support', 'local-aws-without-triggers.ts'), options.stage, templateFile], join(options.scratch, 'local-aws.log'), env);
  running.push(localAws);
  await localAws.waitForLog('LOCAL_AWS_RESOURCES_READY');
  options.log('end to end: starting the peer (stock serverless-offline-sqs 8.0.0)');
  const peer = await startPeer({ stage: options.stage, template, ports, logFile: join(options.scratch, 'peer.log'), log: options.log });
  running.push(peer);
  return { ports, localAwsPid: localAws.child.pid, peerPid: peer.child.pid };
}

/**
 * All three at once, each on ports of its own, measured in turn round after round (ceiling, peer,
 * this project), so that what else the machine does disturbs all three alike; medians of the rounds.
 * The ceiling's loops drain the work DLQ of the peer's local AWS (no one else reads it), the peer
 * its work queue.
 */
async function measureAll(options: { jobs: number; rounds: number; stage: string; portBase: number; scratch: string; log: (line: string) => void }) {
  const running: StackProcess[] = [];
  const clients: SQSClient[] = [];
  try {
    const peerSide = await startPeerSide({ ...options, portBase: options.portBase + 20 }, running);
    const peerPorts = peerSide.ports;
    const oursLog = join(options.scratch, 'ours.log');
    options.log('end to end: starting this project (sls offline start)');
    const oursPorts = isolatedPorts(options.portBase);
    const profiles = process.env.E2E_CPU_PROF_DIR;
    const stack = spawnStack(
      options.stage,
      oursLog,
      { ...oursPorts.env, LOCAL_AWS_LOG_LEVEL: 'WARN', ...(profiles ? { LOCAL_AWS_CPU_PROF_DIR: profiles } : {}) },
      false,
      profiles ? ['--cpu-prof', '--cpu-prof-dir', profiles] : [],
    );
    running.push(stack);
    await stack.waitForLog('LOCAL_AWS_READY');
    const peerSqs = sqsClient(peerPorts.endpoint);
    const oursSqs = sqsClient(oursPorts.endpoint);
    clients.push(peerSqs, oursSqs);
    const localAwsPid = childProcesses(stack.child.pid ?? 0).find((child) => child.command.includes('run-local-aws'))?.pid;
    const peerQueue = await queueUrlOf(peerSqs, `messaging-workers-${options.stage}-work`);
    const ceilingQueue = await queueUrlOf(peerSqs, `messaging-workers-${options.stage}-work-dlq`);
    const oursQueue = await queueUrlOf(oursSqs, `messaging-workers-${options.stage}-work`);
    // The first run of this project includes the runtime's cold starts (one per concurrent
    // invocation); the peer warms up on a smaller run. Then warm rounds, as a busy queue runs.
    options.log('end to end: this project, cold');
    const cold = await drainRate(oursSqs, oursQueue, options.jobs, 'cold');
    await drainRate(peerSqs, peerQueue, Math.min(500, options.jobs), 'peer-cold');
    const samples = { ceiling: [] as number[], peer: [] as number[], ours: [] as number[] };
    const oursCpu = cpuMeter(stack.child.pid, localAwsPid);
    const peerCpu = cpuMeter(peerSide.peerPid, peerSide.localAwsPid);
    for (let round = 1; round <= options.rounds; round++) {
      options.log(`end to end: round ${round} of ${options.rounds} (ceiling, peer, this project)`);
      samples.ceiling.push(await ceilingRate(peerSqs, peerPorts.endpoint, ceilingQueue, options.jobs, options.scratch));
      samples.peer.push(await peerCpu.measure(() => drainRate(peerSqs, peerQueue, options.jobs, `peer-${round}`)));
      samples.ours.push(await oursCpu.measure(() => drainRate(oursSqs, oursQueue, options.jobs, `warm-${round}`)));
    }
    const failures = jsonLines(oursLog).filter((entry) => entry.message === 'Job failed').length;
    return { cold, samples, failures, oursCpuMs: oursCpu.medians(), peerCpuMs: peerCpu.medians() };
  } finally {
    for (const client of clients) client.destroy();
    for (const process of running.reverse()) await process.stop();
  }
}

export async function endToEnd(options: { jobs: number; rounds?: number; stage: string; portBase: number; log?: (line: string) => void }): Promise<{ rows: Row[]; figures: EndToEndFigures }> {
  const log = options.log ?? (() => undefined);
  const rounds = options.rounds ?? 5;
  // Logs outside the project folder: what a run writes under it makes the bundler's watcher rescan.
  const scratch = mkdtempSync(join(tmpdir(), 'messaging-workers-e2e-'));
  let measured: Awaited<ReturnType<typeof measureAll>>;
  try {
    measured = await measureAll({ ...options, rounds, scratch, log });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const figures: EndToEndFigures = {
    ours: { cold: measured.cold, warm: median(measured.samples.ours) },
    peer: median(measured.samples.peer),
    ceiling: median(measured.samples.ceiling),
    failures: measured.failures,
    samples: measured.samples,
    oursCpuMs: measured.oursCpuMs,
    peerCpuMs: measured.peerCpuMs,
  };
  const cpuNote = `; CPU per warm run (medians): this project ${cpuText(measured.oursCpuMs)}; peer ${cpuText(measured.peerCpuMs)}`;
  const note = `medians of ${rounds} interleaved rounds; this project ${measured.samples.ours.map(Math.round).join(', ')}, peer ${measured.samples.peer.map(Math.round).join(', ')}, ceiling ${measured.samples.ceiling.map(Math.round).join(', ')} msg/s${cpuNote}`;
  const warm = figures.ours?.warm ?? null;
  const rows: Row[] = [
    {
      section: 'end to end',
      what: `sls offline, ${options.jobs} canary jobs, warm, vs the stock path`,
      figure: warm,
      unit: 'msg/s',
      baseline: { what: 'serverless-offline-sqs 8.0.0, same handler, log outside the folder', figure: figures.peer },
      goal: { kind: 'min-ratio', value: 2 },
      note,
    },
    {
      section: 'end to end',
      what: `sls offline, ${options.jobs} canary jobs, warm, vs the ceiling`,
      figure: warm,
      unit: 'msg/s',
      baseline: { what: 'bare SDK v3 receive+delete, 5 loops', figure: figures.ceiling },
      goal: { kind: 'min-ratio', value: 0.85 },
    },
    {
      section: 'end to end',
      what: `sls offline, ${options.jobs} canary jobs, cold (first run after start)`,
      figure: figures.ours?.cold ?? null,
      unit: 'msg/s',
      goal: { kind: 'report' },
      note: figures.failures ? `${figures.failures} job failures logged` : undefined,
    },
  ];
  return { rows, figures };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { jobs: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '5' }, stage: { type: 'string', default: 'local' }, 'port-base': { type: 'string', default: '4600' } } });
  endToEnd({ jobs: Number(values.jobs), rounds: Number(values.rounds), stage: values.stage ?? 'local', portBase: Number(values['port-base']), log: (line) => process.stderr.write(`${line}\n`) })
    .then(({ rows }) => process.stdout.write(`${formatTable(rows.map(score))}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
