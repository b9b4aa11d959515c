/**
 * End-to-end throughput of the SQS job bus on the local AWS:
 *   npm run bench -- [--jobs 1000] [--stage local]
 * Starts a local AWS and sls offline of its own (other ports), sends N canary jobs to the work
 * queue in batches of 10, and measures until the consumer has deleted them all (every job ran and
 * was acknowledged), twice: cold (the runtime starts its function instances) and warm. Prints
 * messages per second for sending and for the whole pipeline.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ROOT } from '../local-aws/stage-env';
import { queueDepth, sendJobs } from '../test/support/queues';
import { isolatedPorts, jsonLines, spawnStack } from '../test/support/stack-process';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '1000' }, stage: { type: 'string', default: 'local' } },
});
const jobs = Number(values.jobs);
const stage = values.stage ?? 'local';
const ports = isolatedPorts(4606);

async function main(): Promise<void> {
  const logFile = join(ROOT, '.local-aws', 'bench-run.log');
  const stack = spawnStack(stage, logFile, { ...ports.env, LOCAL_AWS_LOG_LEVEL: 'WARN' });
  try {
    const startedAt = Date.now();
    await stack.waitForLog('LOCAL_AWS_READY');
    const startup = (Date.now() - startedAt) / 1000;
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: ports.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `messaging-workers-${stage}-work` }));
    const run = async (count: number, label: string) => {
      const t0 = Date.now();
      await sendJobs(sqs, QueueUrl ?? '', Array.from({ length: count }, (_, n) => ({ type: 'canary', id: `${label}-${n}` })));
      const sent = Date.now();
      for (;;) {
        const { visible, inFlight } = await queueDepth(sqs, QueueUrl ?? '');
        if (visible + inFlight === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const seconds = (Date.now() - t0) / 1000;
      const sendSeconds = (sent - t0) / 1000;
      return `${label}: sent ${count} jobs in ${sendSeconds.toFixed(2)} s (${(count / sendSeconds).toFixed(0)} msg/s); end to end (sent, run, acknowledged) ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} msg/s`;
    };
    // The first run includes the runtime's cold starts (one per concurrent invocation); the second
    // runs on warm function instances, as a busy queue does.
    const cold = await run(jobs, 'cold');
    const warm = await run(jobs, 'warm');
    const failures = jsonLines(logFile).filter((entry) => entry.message === 'Job failed').length;
    process.stdout.write(
      [`stage ${stage}: local AWS + sls offline ready in ${startup.toFixed(1)} s`, cold, warm, `job failures logged: ${failures}`].join('\n') + '\n',
    );
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
