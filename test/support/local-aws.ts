import { EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadStageEnv } from '../../local-aws/stage-env';
import { RUN_LOG, STAGE } from './global-setup';
import { jsonLines } from './stack-process';

loadStageEnv(STAGE);

const base = {
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
/** Real AWS SDK v3 clients pointed at the test stage's local AWS. */
export const sqs = new SQSClient({ ...base, endpoint: process.env.AWS_ENDPOINT_URL });
export const sns = new SNSClient({ ...base, endpoint: process.env.AWS_ENDPOINT_URL });
export const s3 = new S3Client({ ...base, endpoint: process.env.AWS_ENDPOINT_URL, forcePathStyle: true });
export const ec2 = new EC2Client({ ...base, endpoint: process.env.AWS_ENDPOINT_URL_EC2 });
export const lambda = new LambdaClient({ ...base, endpoint: `http://127.0.0.1:${process.env.OFFLINE_LAMBDA_PORT}` });

const prefix = `messaging-workers-${STAGE}`;
export const names = {
  sourceBucket: `${prefix}-source-local`,
  destinationBucket: `${prefix}-destination-local`,
  workQueue: `${prefix}-work`,
  workDlq: `${prefix}-work-dlq`,
  workFifoQueue: `${prefix}-work.fifo`,
  workFifoDlq: `${prefix}-work-dlq.fifo`,
  topicArn: `arn:aws:sns:${base.region}:000000000000:${prefix}-notifications`,
  function: (name: string) => `${prefix}-${name}`,
};

export async function queueUrl(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`No queue ${name}`);
  return QueueUrl;
}

export async function queueDepth(url: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

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
