import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  body: unknown;
  /** The status answered (0 when the receiver never answered). */
  status: number;
}

/** What to answer a request: a status code, a status with a Retry-After (seconds), or `hang` to never answer. */
export type Answer = number | { status: number; retryAfter: string } | 'hang';

export interface WebhookReceiver {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A webhook endpoint on 127.0.0.1 (a free port) that records each request and answers as `answer`
 * decides from the path, the parsed body and how many earlier requests had the same path and body.
 */
export async function startWebhookReceiver(answer: (path: string, body: unknown, earlier: number) => Answer = () => 200): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const path = request.url ?? '/';
      const earlier = requests.filter((r) => r.path === path && JSON.stringify(r.body) === JSON.stringify(body)).length;
      const decision = answer(path, body, earlier);
      if (decision === 'hang') {
        requests.push({ path, body, status: 0 });
        hanging.add(response);
        return;
      }
      const { status, retryAfter } = typeof decision === 'number' ? { status: decision, retryAfter: undefined } : decision;
      requests.push({ path, body, status });
      response.writeHead(status, { 'content-type': 'text/plain', ...(retryAfter ? { 'retry-after': retryAfter } : {}) });
      response.end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
