import { join } from 'node:path';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ROOT } from '../../shared/stage-env';
import { eventually, uniqueId } from '../support/local-aws';
import { collectJobIds, queueDepth, sendJobs } from '../support/queues';
import { isolatedPorts, jsonLines, spawnLocalAws, spawnStack, type StackProcess } from '../support/stack-process';

/**
 * Fault injection and a runtime crash, on a local AWS and sls offline of their own (stage test,
 * other ports, one after the other), so that load and the crash cannot disturb the other
 * integration tests.
 */
// Each stack on ports of its own, so neither waits on the other's shutdown.
const faultPorts = isolatedPorts(4700);
const crashPorts = isolatedPorts(4720);
const clientOf = (ports: ReturnType<typeof isolatedPorts>) =>
  new SQSClient({ region: 'us-east-1', endpoint: ports.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
let sqs = clientOf(faultPorts);
const url = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
/** jobId -> the receive counts at which the functions logged `message` in `logFile`. */
const jobEvents = (logFile: string, message: 'Job done' | 'Job failed') => {
  const byId = new Map<string, number[]>();
  for (const entry of jsonLines(logFile)) {
    if (entry.message !== message || typeof entry.jobId !== 'string') continue;
    byId.set(entry.jobId, [...(byId.get(entry.jobId) ?? []), Number(entry.receiveCount)]);
  }
  return byId;
};

const depth = async (queueUrl: string) => {
  const { visible, inFlight, delayed } = await queueDepth(sqs, queueUrl);
  return visible + inFlight + delayed;
};

describe('sqsConsumer under fault injection (1,000 jobs: 10 % fail once, 1 % always)', () => {
  const logFile = join(ROOT, '.local-aws', 'resilience-run.log');
  let stack: StackProcess | undefined;

  beforeAll(async () => {
    sqs = clientOf(faultPorts);
    stack = spawnStack('test', logFile, faultPorts.env);
    await stack.waitForLog('LOCAL_AWS_READY', 300_000);
  }, 320_000);

  afterAll(() => stack?.stop());

  it('runs every transient job, dead-letters every poison job, loses none and never deletes a failed record', async () => {
    const run = uniqueId('fi');
    const jobs = Array.from({ length: 1000 }, (_, i) => {
      const id = `${run}-${i}`;
      if (i % 100 === 0) return { type: 'canary', id, alwaysFail: true };
      if (i % 10 === 5) return { type: 'canary', id, failUntilAttempt: 2 };
      return { type: 'canary', id };
    });
    const poison = jobs.filter((job) => job.alwaysFail).map((job) => job.id);
    const transient = jobs.filter((job) => job.failUntilAttempt).map((job) => job.id);
    const work = await url('messaging-workers-test-work');
    const dlq = await url('messaging-workers-test-work-dlq');

    await sendJobs(sqs, work, jobs);

    const dead = new Set<string>();
    await eventually(async () => (await collectJobIds(sqs, dlq, dead)).size >= poison.length && (await depth(work)) === 0, 150_000, 1000);
    const done = jobEvents(logFile, 'Job done');
    const failed = jobEvents(logFile, 'Job failed');
    expect(poison.length).toBe(10);
    expect(transient.length).toBe(100);
    expect([...dead].sort()).toEqual([...poison].sort());
    expect(jobs.filter((job) => !done.has(job.id) && !dead.has(job.id))).toEqual([]); // processed + dead = sent
    expect(jobs.filter((job) => done.has(job.id) && dead.has(job.id))).toEqual([]);
    for (const id of transient) expect(done.get(id)?.[0]).toBeGreaterThanOrEqual(2);
    // A record reported failed at receive k came back (k + 1) or went to the DLQ after the last receive.
    for (const [id, counts] of failed) {
      for (const k of counts) {
        const cameBack = (done.get(id) ?? []).includes(k + 1) || counts.includes(k + 1);
        expect({ id, k, fate: cameBack || (dead.has(id) && k === 2) }).toEqual({ id, k, fate: true });
      }
    }
  }, 240_000);
});

describe('sqsConsumer when the function runtime crashes mid-batch', () => {
  // The local AWS on its own (`npm run local-aws`) and a function runtime (`sls offline start`)
  // that uses it, so the runtime can be killed as a crash would while queues keep their contents.
  // Stage local (visibility 60 s, 3 receives): the messages must come back to a new runtime, and
  // on a busy machine starting one can take longer than stage test's 18 s visibility timeout.
  const localAwsLog = join(ROOT, '.local-aws', 'crash-local-aws.log');
  const runtimeLog = join(ROOT, '.local-aws', 'crash-runtime.log');
  let localAws: StackProcess | undefined;
  let runtime: StackProcess | undefined;

  beforeAll(async () => {
    sqs = clientOf(crashPorts);
    localAws = spawnLocalAws('local', localAwsLog, crashPorts.env);
    await localAws.waitForLog('LOCAL_AWS_SERVING', 300_000);
    runtime = spawnStack('local', runtimeLog, crashPorts.env);
    await runtime.waitForLog('LOCAL_AWS_READY', 300_000);
  }, 620_000);

  afterAll(async () => {
    await runtime?.stop();
    await localAws?.stop();
  });

  it('loses nothing: the unfinished messages come back after the visibility timeout and run on the new runtime', async () => {
    const ids = Array.from({ length: 5 }, () => uniqueId('crash'));
    const work = await url('messaging-workers-local-work');
    await sendJobs(sqs, work, ids.map((id) => ({ type: 'canary', id, delayMs: 2000 })));
    await eventually(async () => (await queueDepth(sqs, work)).inFlight === ids.length, 20_000, 100);

    const crashed = runtime;
    const mark = crashed?.logLength() ?? 0;
    await new Promise((resolve) => {
      crashed?.child.once('exit', resolve);
      crashed?.child.kill('SIGKILL');
    });
    runtime = spawnStack('local', runtimeLog, crashPorts.env, true);

    await runtime.waitForLog('LOCAL_AWS_READY', 120_000, mark);
    await eventually(() => ids.every((id) => jobEvents(runtimeLog, 'Job done').has(id)), 150_000, 1000);
    const done = jobEvents(runtimeLog, 'Job done');
    for (const id of ids) expect(done.get(id)?.every((count) => count >= 2)).toBe(true);
    await eventually(async () => (await depth(work)) === 0, 30_000, 500);
  }, 300_000);
});
