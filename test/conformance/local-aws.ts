import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { freeLoopbackPort } from '../../local-aws/emulators';
import type { S3ObjectCreated } from '../../local-aws/s3-proxy';

export interface ConformanceAws {
  endpoint: string;
  s3: S3Client;
  sqs: SQSClient;
  sns: SNSClient;
  /** Every ObjectCreated the local AWS reported so far, in order. */
  created: S3ObjectCreated[];
  /** Waits until the local AWS reported ObjectCreated for `key` in `bucket`; answers the bucket's events so far. */
  createdUntil(bucket: string, key: string): Promise<S3ObjectCreated[]>;
  stop(): Promise<void>;
}

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

/**
 * The local AWS as `sls offline start` runs it (S3, SQS, SNS on one endpoint), started by the
 * suite itself on a free port of 127.0.0.1, with the real SDK v3 clients pointed at it.
 */
export async function startConformanceAws(): Promise<ConformanceAws> {
  const port = await freeLoopbackPort();
  const created: S3ObjectCreated[] = [];
  const waiters = new Set<() => void>();
  const root = join(__dirname, '..', '..');
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'serve.ts'), String(port), REGION], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`the local AWS exited with code ${code}: ${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'READY') resolve();
        else if (line.startsWith('CREATED ')) {
          created.push(JSON.parse(line.slice('CREATED '.length)) as S3ObjectCreated);
          for (const wake of waiters) wake();
        }
      }
    });
  });
  child.removeAllListeners('exit');
  const endpoint = `http://127.0.0.1:${port}`;
  const base = { region: REGION, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
  const s3 = new S3Client({ ...base, forcePathStyle: true });
  const sqs = new SQSClient(base);
  const sns = new SNSClient(base);
  const ofBucket = (bucket: string) => created.filter((event) => event.bucket === bucket);
  return {
    endpoint,
    s3,
    sqs,
    sns,
    created,
    createdUntil: (bucket, key) =>
      new Promise((resolve, reject) => {
        // Only bounds a failing test: the event normally follows the response within milliseconds.
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ObjectCreated for ${bucket}/${key}; reported: ${JSON.stringify(ofBucket(bucket))}`));
        }, 20_000);
        const check = () => {
          if (!created.some((event) => event.bucket === bucket && event.key === key)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(ofBucket(bucket));
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      s3.destroy();
      sqs.destroy();
      sns.destroy();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      });
    },
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the request to be rejected, it succeeded');
}

let counter = 0;
/** A name unique within this run (buckets and queues are shared by the tests of a file). */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Date.now().toString(36)}`;
}
