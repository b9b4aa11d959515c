import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EC2Client } from '@aws-sdk/client-ec2';
import { actInBatches } from '../../../handlers/domain/scheduling/ec2-actions';

/**
 * A tiny EC2 endpoint that throttles: it answers RequestLimitExceeded a given number of times, then
 * StopInstances as EC2 does. Moto never throttles, so this is the one place the retry is seen.
 */
function throttlingEc2(throttles: number): Promise<{ server: Server; endpoint: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push(new URLSearchParams(body).get('Action') ?? '');
      if (requests.length <= throttles) {
        response.writeHead(503, { 'content-type': 'text/xml' });
        response.end('<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        '<StopInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><instancesSet><item><instanceId>i-0123456789abcdef0</instanceId>' +
          '<currentState><code>64</code><name>stopping</name></currentState><previousState><code>16</code><name>running</name></previousState></item></instancesSet></StopInstancesResponse>',
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })),
  );
}

describe('throttled EC2 calls', () => {
  let stub: Awaited<ReturnType<typeof throttlingEc2>>;
  afterEach(() => new Promise<void>((resolve) => stub.server.close(() => resolve())));

  it('are retried with backoff by the SDK client, and the instance is stopped', async () => {
    stub = await throttlingEc2(2);
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: stub.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 6 });

    const outcome = await actInBatches(ec2, 'stop', ['i-0123456789abcdef0'], { batchSize: 50, dryRun: false });

    expect(outcome).toEqual({ succeeded: ['i-0123456789abcdef0'], failed: [], stoppedWithoutHibernation: [] });
    expect(stub.requests).toEqual(['StopInstances', 'StopInstances', 'StopInstances']);
  });

  it('fail the whole batch without splitting it when throttling outlasts the retries', async () => {
    stub = await throttlingEc2(100);
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: stub.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 2 });

    const outcome = await actInBatches(ec2, 'stop', ['i-0123456789abcdef0', 'i-0123456789abcdef1'], { batchSize: 50, dryRun: false });

    expect(outcome.failed.map((f) => [f.instanceId, f.code])).toEqual([
      ['i-0123456789abcdef0', 'RequestLimitExceeded'],
      ['i-0123456789abcdef1', 'RequestLimitExceeded'],
    ]);
    expect(stub.requests).toEqual(['StopInstances', 'StopInstances']);
  });
});
