import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeFunction } from '../../../local-aws/invoke';
import { LambdaInvoker } from '../../../local-aws/lambda-invoker';

/** A Lambda API on a free loopback port that answers each invocation as `respond` says. */
async function lambdaApi(respond: (request: IncomingMessage, body: string, response: ServerResponse) => void): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => respond(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('invokeFunction through the LambdaInvoker', () => {
  let server: Server | undefined;
  let invoker: LambdaInvoker | undefined;
  afterEach(async () => {
    invoker?.destroy();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("posts the event to the function's invocations path as a synchronous invoke and returns its result", async () => {
    const seen: { url?: string; type?: string; event?: unknown }[] = [];
    const api = await lambdaApi((request, body, response) => {
      seen.push({ url: request.url, type: request.headers['x-amz-invocation-type'] as string, event: JSON.parse(body) });
      response.end(JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'm-2' }] }));
    });
    server = api.server;
    invoker = new LambdaInvoker(api.endpoint);

    const outcome = await invokeFunction(invoker, 'messaging-workers-test-sqsConsumer', { Records: [] }, 5);

    expect(outcome).toEqual({ ok: true, payload: { batchItemFailures: [{ itemIdentifier: 'm-2' }] } });
    expect(seen).toEqual([{ url: '/2015-03-31/functions/messaging-workers-test-sqsConsumer/invocations', type: 'RequestResponse', event: { Records: [] } }]);
  });

  it('reports a function error (X-Amz-Function-Error) as a failure, so nothing is acknowledged', async () => {
    const api = await lambdaApi((_request, _body, response) => {
      response.setHeader('X-Amz-Function-Error', 'Unhandled');
      response.end(JSON.stringify({ errorMessage: 'Task timed out after 1.00 seconds' }));
    });
    server = api.server;
    invoker = new LambdaInvoker(api.endpoint);

    const outcome = await invokeFunction(invoker, 'f', {}, 5);

    expect(outcome).toEqual({ ok: false, reason: 'Unhandled: {"errorMessage":"Task timed out after 1.00 seconds"}' });
  });

  it('reports an error status (an unknown function) as a failure', async () => {
    const api = await lambdaApi((_request, _body, response) => {
      response.statusCode = 404;
      response.end(JSON.stringify({ Message: 'Function not found: f' }));
    });
    server = api.server;
    invoker = new LambdaInvoker(api.endpoint);

    const outcome = await invokeFunction(invoker, 'f', {}, 5);

    expect(outcome).toEqual({ ok: false, reason: 'status 404: {"Message":"Function not found: f"}' });
  });

  it('reports a runtime that is not there as a failure', async () => {
    const api = await lambdaApi(() => undefined);
    const { endpoint } = api;
    await new Promise((resolve) => api.server.close(resolve));
    invoker = new LambdaInvoker(endpoint);

    const outcome = await invokeFunction(invoker, 'f', {}, 5);

    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.reason).toMatch(/^invoke failed: .*ECONNREFUSED/);
  });
});
