/**
 * The SQS consumer's in-process cost per record, 10-record batches of no-op (canary) jobs:
 *   npx tsx bench/consumer-overhead.ts [--batches 20000] > /dev/null
 * Three handlers over the same events, interleaved, median of 7 rounds of CPU time per record:
 * - a bare loop over the records (a no-op per record, an empty batchItemFailures);
 * - Powertools' BatchProcessor alone (processPartialResponse with a no-op record handler);
 * - the sqsConsumer handler as deployed: middy, Powertools Logger context, event shape check,
 *   per-record JSON + zod job validation, the job, its "Job done" log line (INFO, the prod level).
 * Log lines go to stdout: run it with stdout to /dev/null (bench/main.ts does), as Lambda hands
 * them to a pipe. Figures go to stderr, or to --json <file>.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { toSqsEvent } from '../local-aws/sqs-event-source';
import { ROOT } from '../shared/stage-env';
import { median, type Row } from './support/report';

const RECORDS_PER_BATCH = 10;

function batchOf(index: number): SQSEvent {
  const messages = Array.from({ length: RECORDS_PER_BATCH }, (_, n) => ({
    MessageId: `m-${index}-${n}`,
    ReceiptHandle: 'r',
    Body: JSON.stringify({ type: 'canary', id: `job-${index}-${n}` }),
    Attributes: { ApproximateReceiveCount: '1' },
  }));
  return toSqsEvent(messages, 'arn:aws:sqs:us-east-1:000000000000:bench-work', 'us-east-1');
}

const context = {
  functionName: 'sqsConsumer',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:sqsConsumer',
  memoryLimitInMB: '256',
  awsRequestId: 'bench',
  logGroupName: '/aws/lambda/sqsConsumer',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** The sqsConsumer handler bundled as serverless.yml bundles it (ES module, minified), then imported. */
async function bundledHandler(): Promise<(event: SQSEvent, context: Context) => Promise<unknown>> {
  const outdir = mkdtempSync(join(tmpdir(), 'consumer-overhead-'));
  await build({
    entryPoints: [join(ROOT, 'handlers', 'sqs-consumer', 'handler.ts')],
    bundle: true,
    // BENCH_MINIFY=false keeps names, for a readable profile.
    minify: process.env.BENCH_MINIFY !== 'false',
    target: 'node24',
    platform: 'node',
    format: 'esm',
    splitting: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    mainFields: ['module', 'main'],
    banner: { js: "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  const module = (await import(pathToFileURL(join(outdir, 'handler.mjs')).href)) as { handler: (event: SQSEvent, context: Context) => Promise<unknown> };
  return module.handler;
}

/**
 * CPU time (user + system) of this process per record: on a busy machine, time spent waiting for
 * a core is not counted (wall time here varied by 2x from run to run; CPU time far less).
 */
async function microsecondsPerRecord(handler: Handler, events: readonly SQSEvent[]): Promise<number> {
  const started = process.cpuUsage();
  for (const event of events) await handler(event);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / (events.length * RECORDS_PER_BATCH);
}

export async function consumerOverhead(batches: number): Promise<{ bare: number; powertools: number; ours: number }> {
  process.env.POWERTOOLS_SERVICE_NAME ??= 'messaging-workers';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
  process.env.DEST_BUCKET ??= 'messaging-workers-prod-destination-bench';
  process.env.NOTIFICATIONS_TOPIC_ARN ??= 'arn:aws:sns:us-east-1:000000000000:messaging-workers-prod-notifications';
  process.env.SCHEDULE_TAG_KEY ??= 'Schedule';
  process.env.SCHEDULE_TAG_VALUE ??= 'office-hours';
  const sqsConsumer = await bundledHandler();
  const noop = async (record: SQSRecord) => record.messageId;
  const handlers: Record<'bare' | 'powertools' | 'ours', Handler> = {
    bare: async (event) => {
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        try {
          await noop(record);
        } catch {
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures };
    },
    powertools: (event) => processPartialResponse(event, noop, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false }),
    ours: (event) => sqsConsumer(event, context) as Promise<SQSBatchResponse>,
  };
  const events = Array.from({ length: batches }, (_, index) => batchOf(index));
  // Warm-up: the JIT compiles each path before it is timed.
  for (const handler of Object.values(handlers)) await microsecondsPerRecord(handler, events.slice(0, Math.min(2000, batches)));
  const samples = { bare: [] as number[], powertools: [] as number[], ours: [] as number[] };
  for (let round = 0; round < 7; round++) {
    for (const name of ['bare', 'powertools', 'ours'] as const) samples[name].push(await microsecondsPerRecord(handlers[name], events));
  }
  return { bare: median(samples.bare), powertools: median(samples.powertools), ours: median(samples.ours) };
}

export function consumerOverheadRows(figures: { bare: number; powertools: number; ours: number } | null, note?: string): Row[] {
  return [
    {
      section: 'consumer overhead',
      what: 'sqsConsumer handler, 10-record batches of no-op jobs',
      figure: figures?.ours ?? null,
      unit: 'µs/record',
      baseline: { what: "Powertools' BatchProcessor alone", figure: figures?.powertools ?? null },
      goal: { kind: 'max-extra', value: 0.5 },
      note,
    },
    {
      section: 'consumer overhead',
      what: "Powertools' BatchProcessor alone",
      figure: figures?.powertools ?? null,
      unit: 'µs/record',
      baseline: { what: 'a bare loop over the records', figure: figures?.bare ?? null },
      goal: { kind: 'report' },
    },
  ];
}

if (require.main === module) {
  const { values } = parseArgs({ options: { batches: { type: 'string', default: '20000' }, json: { type: 'string' } } });
  consumerOverhead(Number(values.batches))
    .then((figures) => {
      if (values.json) writeFileSync(values.json, JSON.stringify(figures));
      process.stderr.write(`µs per record: bare loop ${figures.bare.toFixed(2)}, Powertools BatchProcessor ${figures.powertools.toFixed(2)}, sqsConsumer ${figures.ours.toFixed(2)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
