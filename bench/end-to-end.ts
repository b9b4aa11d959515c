/**
 * The SQS job bus end to end, side by side in one run, each on ports of its own:
 *   npx tsx bench/end-to-end.ts [--jobs 5000] [--port-base 4600] [--stage local]
 * 1. Ceiling: the local AWS alone (emulators + resources, no triggers) and a bare SDK v3
 *    receive + delete-batch loop, 5 loops, in this process: what the emulator serves on this machine.
 * 2. Peer: the stock serverless-offline-sqs 8.0.0 (bench/peer.ts: installed on demand in a scratch
 *    copy, never a dependency of the service) polling the same local AWS, with the same handler and
 *    its log outside the project folder.
 * 3. This project: `sls offline start` (local AWS, pollers and function runtime), cold then warm.
 * Each sends N canary jobs (batches of 10) to the work queue and measures from the first send
 * until every job has run and been deleted (the queue holds nothing, in flight or visible).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { packageTemplate } from '../local-aws/template';
import { queueDepth, sendJobs } from '../test/support/queues';
import { isolatedPorts, jsonLines, spawnLogged, spawnStack, type StackProcess } from '../test/support/stack-process';
import { startPeer } from './peer';
import { formatTable, type Row, score } from './support/report';

export interface EndToEndFigures {
  ours: { cold: number; warm: number } | null;
  peer: number | null;
  ceiling: number | null;
  failures: number;
}

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

async function queueUrlOf(sqs: SQSClient, stage: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `messaging-workers-${stage}-work` }));
  if (!QueueUrl) throw new Error('no work queue');
  return QueueUrl;
}

/** Ceiling and peer on one local AWS without triggers. */
async function peerAndCeiling(options: { jobs: number; stage: string; portBase: number; scratch: string; log: (line: string) => void }): Promise<{ peer: number; ceiling: number }> {
  const ports = isolatedPorts(options.portBase);
  const env = { ...ports.env, LOCAL_AWS_LOG_LEVEL: 'WARN' };
  const previous = { ...process.env };
  Object.assign(process.env, env);
  let template: unknown;
  try {
    template = packageTemplate(options.stage);
  } finally {
    process.env = previous;
  }
  const templateFile = join(options.scratch, 'template.json');
  writeFileSync(templateFile, JSON.stringify(template));
  const localAws = spawnLogged(['--import', 'tsx', join(__dirname, 'support', 'local-aws-without-triggers.ts'), options.stage, templateFile], join(options.scratch, 'local-aws.log'), env);
  let peer: StackProcess | undefined;
  const sqs = sqsClient(ports.endpoint);
  try {
    await localAws.waitForLog('LOCAL_AWS_RESOURCES_READY');
    const queueUrl = await queueUrlOf(sqs, options.stage);
    options.log('end to end: ceiling (bare SDK v3 loops)');
    const ceiling = await ceilingRate(sqs, ports.endpoint, queueUrl, options.jobs, options.scratch);
    options.log('end to end: peer (stock serverless-offline-sqs 8.0.0)');
    peer = await startPeer({ stage: options.stage, template, ports, logFile: join(options.scratch, 'peer.log'), log: options.log });
    await drainRate(sqs, queueUrl, Math.min(500, options.jobs), 'peer-cold');
    const peerRate = await drainRate(sqs, queueUrl, options.jobs, 'peer-warm');
    return { peer: peerRate, ceiling };
  } finally {
    sqs.destroy();
    await peer?.stop();
    await localAws.stop();
  }
}

export async function ours(options: { jobs: number; stage: string; portBase: number; scratch: string; log: (line: string) => void }): Promise<{ cold: number; warm: number; failures: number }> {
  const ports = isolatedPorts(options.portBase);
  const logFile = join(options.scratch, 'ours.log');
  const stack = spawnStack(options.stage, logFile, { ...ports.env, LOCAL_AWS_LOG_LEVEL: 'WARN' });
  const sqs = sqsClient(ports.endpoint);
  try {
    await stack.waitForLog('LOCAL_AWS_READY');
    const queueUrl = await queueUrlOf(sqs, options.stage);
    // The first run includes the runtime's cold starts (one per concurrent invocation); the second
    // runs on warm function instances, as a busy queue does.
    options.log('end to end: this project, cold');
    const cold = await drainRate(sqs, queueUrl, options.jobs, 'cold');
    options.log('end to end: this project, warm');
    const warm = await drainRate(sqs, queueUrl, options.jobs, 'warm');
    const failures = jsonLines(logFile).filter((entry) => entry.message === 'Job failed').length;
    return { cold, warm, failures };
  } finally {
    sqs.destroy();
    await stack.stop();
  }
}

export async function endToEnd(options: { jobs: number; stage: string; portBase: number; log?: (line: string) => void }): Promise<{ rows: Row[]; figures: EndToEndFigures }> {
  const log = options.log ?? (() => undefined);
  // Logs outside the project folder: what a run writes under it makes the bundler's watcher rescan.
  const scratch = mkdtempSync(join(tmpdir(), 'messaging-workers-e2e-'));
  const figures: EndToEndFigures = { ours: null, peer: null, ceiling: null, failures: 0 };
  const notes: string[] = [];
  try {
    try {
      const side = await peerAndCeiling({ ...options, portBase: options.portBase + 20, scratch, log });
      figures.peer = side.peer;
      figures.ceiling = side.ceiling;
    } catch (error) {
      notes.push(`peer/ceiling failed: ${(error as Error).message.slice(0, 300)}`);
    }
    const measured = await ours({ ...options, scratch, log });
    figures.ours = { cold: measured.cold, warm: measured.warm };
    figures.failures = measured.failures;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const warm = figures.ours?.warm ?? null;
  const note = notes.join('; ') || undefined;
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
  const { values } = parseArgs({ options: { jobs: { type: 'string', default: '5000' }, stage: { type: 'string', default: 'local' }, 'port-base': { type: 'string', default: '4600' } } });
  endToEnd({ jobs: Number(values.jobs), stage: values.stage ?? 'local', portBase: Number(values['port-base']), log: (line) => process.stderr.write(`${line}\n`) })
    .then(({ rows }) => process.stdout.write(`${formatTable(rows.map(score))}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
