import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { eventually, names, s3, uniqueId } from '../support/local-aws';

async function readObject(bucket: string, key: string): Promise<string | undefined> {
  try {
    const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await output.Body?.transformToString();
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

describe('s3Copier through an S3 put in the local source bucket', () => {
  it.each([
    ['spaces and non-ASCII letters', (id: string) => `reports/${id}/my file 中文.txt`],
    ['a plus sign and a percent sign', (id: string) => `${id}/a+b 100%.csv`],
    ['plain ASCII', (id: string) => `${id}.json`],
  ])('copies an object whose key has %s to the same key in the destination bucket', async (_label, makeKey) => {
    const key = makeKey(uniqueId('copy'));
    const body = `content of ${key}`;

    await s3.send(new PutObjectCommand({ Bucket: names.sourceBucket, Key: key, Body: body }));

    const copied = await eventually(() => readObject(names.destinationBucket, key), 30_000);
    expect(copied).toBe(body);
  });
});
