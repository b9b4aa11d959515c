import { Agent, request } from 'node:http';

export interface RawInvokeResult {
  statusCode: number;
  /** Lambda's X-Amz-Function-Error: the function failed (its error is the payload). */
  functionError?: string;
  payload: string;
}

/**
 * Lambda's synchronous Invoke (`POST /2015-03-31/functions/<name>/invocations`) on
 * serverless-offline's Lambda API, for the local AWS's SQS event source mappings: they call the
 * function as Lambda's own pollers do, from inside, so unsigned and over a few kept-alive
 * connections, without an SDK client's middleware stack, request signing and hashing, which cost
 * the local AWS more CPU per batch than the queue work itself (bench/profiles/).
 */
export class LambdaInvoker {
  private readonly agent = new Agent({ keepAlive: true });
  private readonly url: URL;

  constructor(endpoint: string) {
    this.url = new URL(endpoint);
  }

  invoke(functionName: string, payload: string, timeoutMs: number): Promise<RawInvokeResult> {
    return new Promise((resolve, reject) => {
      const body = Buffer.from(payload);
      const call = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
          headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-amz-invocation-type': 'RequestResponse' },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.once('error', reject);
          response.once('end', () => {
            const functionError = response.headers['x-amz-function-error'];
            resolve({
              statusCode: response.statusCode ?? 0,
              ...(typeof functionError === 'string' ? { functionError } : {}),
              payload: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      call.once('error', reject);
      call.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  destroy(): void {
    this.agent.destroy();
  }
}
