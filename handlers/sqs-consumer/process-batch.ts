import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describeIssues, InvalidEventError } from '../platform/errors';
import { logger } from '../platform/logger';
import * as z from '../platform/zod';
import { runJob } from '../domain/jobs';
import { notificationId } from '../domain/notifications/notification';
import type { JobContext } from '../domain/jobs/job';
import { parseRecord, RecordError } from './event';

// Checks what the consumer reads of each record, nothing more; the event itself is used as it came
// (no copy of the records: zod's default 'strip' output is discarded).
const sqsEventShape = z.compiledWhenWarm(
  z.object({
    Records: z.array(z.object({ messageId: z.string().check(z.minLength(1)), eventSourceARN: z.optional(z.string()) })),
  }),
  10,
);

export type JobEnvironment = Omit<JobContext, 'messageId' | 'receiveCount'>;

function receiveCountOf(record: SQSRecord): number {
  const count = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isInteger(count) && count > 0 ? count : 1;
}

/** Runs one record's job; logs and rethrows its failure so the batch utility reports it. */
async function processRecord(record: SQSRecord, environment: JobEnvironment, debug: boolean): Promise<unknown> {
  const receiveCount = receiveCountOf(record);
  let jobType: string | undefined;
  let jobId: string | undefined;
  try {
    const { job, via } = parseRecord(record);
    jobType = job.type;
    jobId = 'id' in job ? job.id : undefined;
    const result = await runJob(job.type, job, { clients: environment.clients, config: environment.config, messageId: record.messageId, receiveCount });
    // DEBUG, not INFO: a success line per job cost ~40 µs a record (bench: consumer overhead), more
    // than the rest of the consumer; failures stay one ERROR line each, and Lambda counts invocations.
    // Asked once a batch: the Logger reads the environment on every call, even for a line it drops.
    if (debug) logger.debug('Job done', { messageId: record.messageId, jobType, jobId, via, receiveCount });
    return result;
  } catch (error) {
    logger.error('Job failed', {
      messageId: record.messageId,
      jobType,
      jobId,
      receiveCount,
      messageGroupId: record.attributes?.MessageGroupId,
      reason: (error as Error).message,
      error: error as Error,
      ...(error instanceof RecordError && error.issues.length > 0 ? { issues: error.issues } : {}),
    });
    if (receiveCount >= environment.config.maxReceiveCount) await announceDeadLetter(record, environment, { jobType, jobId, receiveCount, error: error as Error });
    throw error;
  }
}

/**
 * A job that fails on its last receive moves to the DLQ when it next becomes visible: announce it
 * now, while its type, id and reason are known (the DLQ alarm catches the rest: timeouts, crashes).
 * Best effort: a failed publish is logged (by `announce`) and changes nothing for the record.
 */
async function announceDeadLetter(
  record: SQSRecord,
  environment: JobEnvironment,
  failure: { jobType?: string; jobId?: string; receiveCount: number; error: Error },
): Promise<void> {
  const queue = record.eventSourceARN?.split(':').pop() || 'unknown';
  logger.warn('Job failed its last receive; it goes to the dead-letter queue', { messageId: record.messageId, jobType: failure.jobType, jobId: failure.jobId, queue });
  // Imported when needed, with the SNS SDK it uses: a batch that dead-letters nothing never loads them.
  const { announce } = await import('../domain/notifications/announce');
  await announce(await environment.clients.sns(), environment.config.notificationsTopicArn, {
    type: 'job-dead-lettered',
    id: notificationId('job-dead-lettered', queue, record.messageId),
    source: 'sqsConsumer',
    queue: queue.slice(0, 80),
    messageId: record.messageId,
    jobType: failure.jobType?.slice(0, 128),
    jobId: failure.jobId,
    receiveCount: failure.receiveCount,
    reason: (failure.error.message || failure.error.name).slice(0, 2000),
  });
}

/**
 * Processes an SQS batch and answers Lambda with exactly the failed records' ids.
 * - Standard queues: records run concurrently.
 * - FIFO queues: records run in order; once a record of a message group fails, the later records of
 *   that group are reported failed without running (Powertools `skipGroupOnError`), other groups
 *   go on. Lambda then returns them all to the queue and order within the group holds.
 * - When every record fails the handler still returns them all as `batchItemFailures` rather than
 *   throwing: the effect on the queue is the same (all retried), and the invocation is not counted
 *   as a function error, which would only blur the per-record errors logged above.
 * - An event that is not an SQS batch has no record to report and raises InvalidEventError.
 */
export async function processBatch(
  event: unknown,
  context: Context,
  environment: JobEnvironment,
): Promise<SQSBatchResponse> {
  const shape = sqsEventShape().safeParse(event);
  if (!shape.success) {
    throw new InvalidEventError('Not an SQS event', describeIssues(shape.error.issues));
  }
  const sqsEvent = event as SQSEvent;
  if (sqsEvent.Records.length === 0) return { batchItemFailures: [] };
  const debug = logger.level <= LogLevelThreshold.DEBUG;
  const handleRecord = (record: SQSRecord) => processRecord(record, environment, debug);
  const isFifo = sqsEvent.Records.some((record) => record.eventSourceARN?.endsWith('.fifo'));
  if (isFifo) {
    return processPartialResponse(sqsEvent, handleRecord, new SqsFifoPartialProcessorAsync(), {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
  }
  return processPartialResponse(sqsEvent, handleRecord, new BatchProcessor(EventType.SQS), {
    context,
    throwOnFullBatchFailure: false,
  });
}
