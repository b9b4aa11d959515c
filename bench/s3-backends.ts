/**
 * How fast each candidate S3 backend answers, through the SDK v3 client:
 *   npx tsx bench/s3-backends.ts [--objects 300] [--concurrency 8]
 * Starts fauxqs and moto_server on free ports of 127.0.0.1, and times PutObject, GetObject,
 * HeadObject and CopyObject of 1 KiB objects on each (and through the local AWS endpoint, which
 * serves S3 from moto behind the fauxqs port). Informs the choice of what serves S3 locally.
 */
import { parseArgs } from 'node:util';
import { CopyObjectCommand, CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { freeLoopbackPort, startFauxqs, startMoto, type Stoppable } from '../local-aws/emulators';

const { values } = parseArgs({ options: { objects: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '8' } } });
const objects = Number(values.objects);
const concurrency = Number(values.concurrency);
const body = 'x'.repeat(1024);

async function pool(count: number, task: (n: number) => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function measure(label: string, endpoint: string): Promise<void> {
  const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const Bucket = `bench-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  const rate = (seconds: number) => `${Math.round(objects / seconds)}/s`;
  const put = await pool(objects, (n) => s3.send(new PutObjectCommand({ Bucket, Key: `k${n}`, Body: body })));
  const get = await pool(objects, async (n) => (await s3.send(new GetObjectCommand({ Bucket, Key: `k${n}` }))).Body?.transformToString());
  const head = await pool(objects, (n) => s3.send(new HeadObjectCommand({ Bucket, Key: `k${n}` })));
  const copy = await pool(objects, (n) => s3.send(new CopyObjectCommand({ Bucket, Key: `c${n}`, CopySource: `${Bucket}/k${n}` })));
  console.log(`${label.padEnd(28)} put ${rate(put)}  get ${rate(get)}  head ${rate(head)}  copy ${rate(copy)}`);
  s3.destroy();
}

async function main(): Promise<void> {
  const running: Stoppable[] = [];
  try {
    const motoPort = await freeLoopbackPort();
    running.push(await startMoto({ port: motoPort }));
    const fauxqsPort = await freeLoopbackPort();
    running.push(await startFauxqs({ port: fauxqsPort, region: 'us-east-1', stage: 'bench', onObjectCreated: () => undefined }));
    console.log(`${objects} objects of 1 KiB, ${concurrency} at a time`);
    await measure('moto_server (direct)', `http://127.0.0.1:${motoPort}`);
    await measure('local AWS endpoint', `http://127.0.0.1:${fauxqsPort}`);
  } finally {
    for (const emulator of running.reverse()) await emulator.stop();
  }
}

void main();
