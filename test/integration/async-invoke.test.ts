import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { invokeAsync } from '../../local-aws/async-invoke';
import { sqs, uniqueId } from '../support/local-aws';

/**
 * The local AWS's asynchronous invocation (S3 and SNS triggers) against a Lambda API whose
 * function always fails: retried twice, then the event goes to the on-failure destination.
 */
describe('asynchronous invocation of a function that keeps failing', () => {
  let server: Server;
  let invocations: unknown[];
  let lambda: LambdaClient;

  beforeAll(async () => {
    invocations = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        invocations.push(JSON.parse(body));
        response.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
        response.end(JSON.stringify({ errorMessage: 'boom', errorType: 'Error' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    lambda = new LambdaClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tries three times, then sends the event to the on-failure destination with the reason', async () => {
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: `messaging-workers-test-${uniqueId('on-failure')}` }));
    const event = { Records: [{ id: uniqueId('event') }] };

    const delivered = await invokeAsync({ lambda, sqs }, { functionName: 'failing', timeoutSeconds: 3, onFailureQueueUrl: QueueUrl }, event, [10, 10]);

    expect(delivered).toBe(false);
    expect(invocations).toEqual([event, event, event]);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
    expect(Messages).toHaveLength(1);
    expect(JSON.parse(Messages[0]?.Body ?? '{}')).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: event,
      responseContext: { functionError: 'Unhandled' },
    });
  });
});
