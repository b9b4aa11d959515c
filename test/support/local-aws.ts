import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { localClients } from '../../local-aws/clients';
import { localAwsConfig } from '../../local-aws/config';
import { loadStageEnv } from '../../shared/stage-env';
import { RUN_LOG, STAGE } from './global-setup';
import { queueDepth as depthOf } from './queues';
import { jsonLines } from './stack-process';

loadStageEnv(STAGE);

const config = localAwsConfig(STAGE);
/** Real AWS SDK v3 clients pointed at the test stage's local AWS (the local AWS's own set). */
export const { sqs, sns, s3, ec2, lambda } = localClients(config);

const prefix = `messaging-workers-${STAGE}`;
export const names = {
  sourceBucket: `${prefix}-source-local`,
  destinationBucket: `${prefix}-destination-local`,
  workQueue: `${prefix}-work`,
  workDlq: `${prefix}-work-dlq`,
  workFifoQueue: `${prefix}-work.fifo`,
  workFifoDlq: `${prefix}-work-dlq.fifo`,
  topicArn: `arn:aws:sns:${config.region}:${config.accountId}:${prefix}-notifications`,
  function: (name: string) => `${prefix}-${name}`,
};

export async function queueUrl(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`No queue ${name}`);
  return QueueUrl;
}

/** Depth of a queue of the shared test stack. */
export const queueDepth = (url: string) => depthOf(sqs, url);

/** Polls `probe` until it returns a value (not undefined/false), or fails with the last error. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export type LogLine = Record<string, unknown> & { message?: string; level?: string };

/** The structured JSON log lines the functions and the local AWS wrote during this test run. */
export function logLines(): LogLine[] {
  return jsonLines(RUN_LOG);
}

/** A unique id for this test's messages and objects. */
export const uniqueId = (label: string): string => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
