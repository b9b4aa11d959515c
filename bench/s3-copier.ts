/**
 * The copier against the local S3, side by side in one run:
 *   npx tsx bench/s3-copier.ts [--objects 200] [--concurrency 16] [--rounds 3] [--mib 100] [--part-mib 8] [--parts 8]
 * 1. `objects` objects of 1 MiB copied by the copier (handlers/domain/copying, as s3Copier runs it:
 *    HeadObject of the source, then a server-side CopyObject that only creates the key) and by a naive copier
 *    (GetObject + PutObject through this process), `concurrency` objects in flight for both.
 * 2. One object of `mib` MiB (built with a multipart upload: the local endpoint caps request bodies)
 *    copied by the copier's multipart path with `parts` part copies in flight, and one at a time.
 * Starts the local AWS endpoint (fauxqs + moto_server for S3) on free ports of 127.0.0.1. Each
 * round copies into fresh destination buckets (a copy already made would be skipped); the median
 * of the rounds is reported. Goals: copier >= 2.5x naive, parallel parts >= 1.5x sequential.
 */
import { parseArgs } from 'node:util';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { CopySettings } from '../handlers/domain/copying/copy-settings';
import { settleConcurrently } from '../handlers/platform/concurrency';
import { freeLoopbackPort, spawnServer, startFauxqs } from '../local-aws/emulators';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
    mib: { type: 'string', default: '100' },
    'part-mib': { type: 'string', default: '8' },
    parts: { type: 'string', default: '8' },
    // Internal: serve the local AWS endpoint on this port (the bench runs it in a process of its own).
    'serve-endpoint': { type: 'string' },
  },
});
const MiB = 1024 * 1024;
const objects = Number(values.objects);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const largeSize = Number(values.mib) * MiB;
const partSize = Number(values['part-mib']) * MiB;
const partConcurrency = Number(values.parts);

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? NaN;
async function timed(task: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await task();
  return Number(process.hrtime.bigint() - started) / 1e9;
}
function mustAllSucceed(results: PromiseSettledResult<unknown>[]): void {
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

let bucketCount = 0;
async function newBucket(s3: S3Client, label: string): Promise<string> {
  const Bucket = `bench-${label}-${Date.now().toString(36)}-${bucketCount++}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  return Bucket;
}

const settingsFor = (destinationBucket: string, parts: number): CopySettings => ({
  destinationBucket,
  destinationPrefix: '',
  multipartThreshold: 5 * 1024 * MiB,
  partSize,
  partConcurrency: parts,
});

async function smallObjects(s3: S3Client): Promise<void> {
  const source = await newBucket(s3, 'small');
  const body = Buffer.alloc(MiB, 1);
  const keys = Array.from({ length: objects }, (_, n) => `objects/${String(n).padStart(4, '0')} 中.bin`);
  mustAllSucceed(await settleConcurrently(keys, concurrency, (Key) => s3.send(new PutObjectCommand({ Bucket: source, Key, Body: body, ContentType: 'application/octet-stream', Metadata: { batch: 'bench' } }))));
  const ours: number[] = [];
  const naive: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const ourDestination = await newBucket(s3, 'ours');
    const naiveDestination = await newBucket(s3, 'naive');
    const bareDestination = await newBucket(s3, 'bare');
    ours.push(
      await timed(async () => {
        const outcomes = await copyObjects(
          keys.map((key) => ({ bucket: source, key })),
          { s3, settings: settingsFor(ourDestination, partConcurrency), concurrency, announce: async () => true },
        );
        const notCopied = outcomes.filter(({ outcome }) => outcome !== 'copied');
        if (notCopied.length > 0) throw new Error(`copier: ${notCopied.length} not copied: ${JSON.stringify(notCopied[0])}`);
      }),
    );
    naive.push(
      await timed(async () =>
        mustAllSucceed(
          await settleConcurrently(keys, concurrency, async (Key) => {
            const object = await s3.send(new GetObjectCommand({ Bucket: source, Key }));
            const bytes = await object.Body?.transformToByteArray();
            await s3.send(new PutObjectCommand({ Bucket: naiveDestination, Key, Body: bytes, ContentType: object.ContentType, Metadata: object.Metadata }));
          }),
        ),
      ),
    );
    // For reference: one bare CopyObject per object, with no metadata record and no redelivery check.
    bare.push(
      await timed(async () =>
        mustAllSucceed(await settleConcurrently(keys, concurrency, (Key) => s3.send(new CopyObjectCommand({ Bucket: bareDestination, Key, CopySource: copySourceOf(source, Key) })))),
      ),
    );
  }
  const [o, n, b] = [median(ours), median(naive), median(bare)];
  console.log(`${objects} objects of 1 MiB, ${concurrency} in flight (median of ${rounds}):`);
  console.log(`  copier (HeadObject + CopyObject)     ${o.toFixed(2)} s  ${Math.round(objects / o)} objects/s   [${ours.map((s) => s.toFixed(2)).join(', ')}]`);
  console.log(`  naive (GetObject + PutObject)        ${n.toFixed(2)} s  ${Math.round(objects / n)} objects/s   [${naive.map((s) => s.toFixed(2)).join(', ')}]`);
  console.log(`  bare CopyObject (reference)          ${b.toFixed(2)} s  ${Math.round(objects / b)} objects/s   [${bare.map((s) => s.toFixed(2)).join(', ')}]`);
  console.log(`  copier / naive: ${(n / o).toFixed(2)}x (goal >= 2.5x); bare CopyObject / naive: ${(n / b).toFixed(2)}x`);
}

async function largeObject(s3: S3Client): Promise<void> {
  const source = await newBucket(s3, 'large');
  const Key = 'large/object.bin';
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: source, Key }));
  const uploadPart = 8 * MiB;
  const chunk = Buffer.alloc(uploadPart, 3);
  const parts = [];
  for (let start = 0, PartNumber = 1; start < largeSize; start += uploadPart, PartNumber++) {
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket: source, Key, UploadId, PartNumber, Body: chunk.subarray(0, Math.min(uploadPart, largeSize - start)) }));
    parts.push({ PartNumber, ETag });
  }
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: source, Key, UploadId, MultipartUpload: { Parts: parts } }));
  const parallel: number[] = [];
  const sequential: number[] = [];
  const copyWith = async (parts: number) => {
    const settings = { ...settingsFor(await newBucket(s3, `mp${parts}`), parts), multipartThreshold: 5 * MiB };
    return timed(async () => {
      const result = await copyObject(s3, { sourceBucket: source, key: Key }, settings);
      if (result.method !== 'multipart') throw new Error(`expected a multipart copy, got ${result.method}`);
    });
  };
  for (let round = 0; round < rounds; round++) {
    parallel.push(await copyWith(partConcurrency));
    sequential.push(await copyWith(1));
  }
  const [p, s] = [median(parallel), median(sequential)];
  const count = Math.ceil(largeSize / partSize);
  console.log(`multipart copy of ${largeSize / MiB} MiB in ${count} parts of ${partSize / MiB} MiB (median of ${rounds}):`);
  console.log(`  ${partConcurrency} parts in flight  ${p.toFixed(2)} s   [${parallel.map((x) => x.toFixed(2)).join(', ')}]`);
  console.log(`  1 part at a time   ${s.toFixed(2)} s   [${sequential.map((x) => x.toFixed(2)).join(', ')}]`);
  console.log(`  parallel / sequential: ${(s / p).toFixed(2)}x (goal >= 1.5x)`);
}

// The copier logs each copy; the domain modules are loaded once the logger is told to be quiet.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
let copyObject: typeof import('../handlers/domain/copying/copy-object').copyObject;
let copySourceOf: typeof import('../handlers/domain/copying/copy-object').copySourceOf;
let copyObjects: typeof import('../handlers/domain/copying/copy-objects').copyObjects;

/**
 * The local AWS endpoint in a process of its own, as in the local stack (the functions run in
 * `sls offline`, the endpoint in the local AWS process): the copiers' SDK work and the endpoint's
 * proxying do not share one event loop. It stops when this process does.
 */
function startEndpointProcess(port: number): Promise<{ stop: () => Promise<void> }> {
  return spawnServer(process.execPath, [...process.execArgv, __filename, '--serve-endpoint', String(port)], 'endpoint ready', (code, stderr) => `the endpoint process exited with code ${code}\n${stderr}`);
}

async function serveEndpoint(port: number): Promise<void> {
  const endpoint = await startFauxqs({ port, region: 'us-east-1', stage: 'bench', onObjectCreated: () => undefined });
  console.log('endpoint ready');
  // Stopped by SIGTERM, or when the bench is gone (its end of stdin closes).
  const stop = () => void endpoint.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.resume();
  process.stdin.once('end', stop);
}

async function main(): Promise<void> {
  if (values['serve-endpoint']) return serveEndpoint(Number(values['serve-endpoint']));
  ({ copyObject, copySourceOf } = await import('../handlers/domain/copying/copy-object'));
  ({ copyObjects } = await import('../handlers/domain/copying/copy-objects'));
  const port = await freeLoopbackPort();
  const endpoint = await startEndpointProcess(port);
  const s3 = new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await smallObjects(s3);
    await largeObject(s3);
  } finally {
    s3.destroy();
    await endpoint.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
