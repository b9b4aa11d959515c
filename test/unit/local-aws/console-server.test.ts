import { request } from 'node:http';
import type { LocalClients } from '../../../local-aws/clients';
import { localAwsConfig } from '../../../local-aws/config';
import { type RunningConsole, startConsole } from '../../../local-aws/console/server';
import { InvocationLog } from '../../../local-aws/invocation-log';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so Host and Origin can be set as another page or site would send them. */
function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

describe('local console server', () => {
  let running: RunningConsole;
  const invocations = new InvocationLog(5);

  beforeAll(async () => {
    // No emulator behind it: the requests below are decided before any AWS call, or ask for
    // resources the stage does not have (404), which is answered without one.
    const config = localAwsConfig('unit', {});
    running = await startConsole(
      {
        config,
        plan: { queues: [], topics: [], queueSubscriptions: [], buckets: [], bucketNotifications: [], functionSubscriptions: [], eventSourceMappings: [], functionTimeouts: {}, onFailureDestinations: {}, aliases: {}, stateMachines: [] },
        resources: { queueUrls: {}, topicArns: {}, buckets: [] },
        template: {},
        clients: {} as LocalClients,
        invocations,
      },
      0,
    );
  });
  afterAll(() => running.stop());

  const own = () => ({ Host: `127.0.0.1:${running.port}`, Origin: `http://127.0.0.1:${running.port}`, 'Content-Type': 'application/json' });
  const send = (headers: Record<string, string>) => call(running.port, 'POST', '/api/queues/some-queue/purge', headers, JSON.stringify({ confirm: 'some-queue' }));

  it('listens on 127.0.0.1 only and embeds a per-run token in its page', async () => {
    expect(running.url).toBe(`http://127.0.0.1:${running.port}/`);
    const page = await call(running.port, 'GET', '/', { Host: `127.0.0.1:${running.port}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="console-token" content="${running.token}">`);
    expect(running.token).toMatch(/^[0-9a-f]{64}$/);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses a state-changing request without the token', async () => {
    const reply = await send(own());
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('x-console-token');
  });

  it('refuses a request with a wrong token', async () => {
    const reply = await send({ ...own(), 'X-Console-Token': 'f'.repeat(64) });
    expect(reply.status).toBe(403);
  });

  it('refuses a request from another Origin even with the token', async () => {
    const reply = await send({ ...own(), Origin: 'http://evil.example', 'X-Console-Token': running.token });
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('Origin http://evil.example');
  });

  it('refuses a cross-site fetch even with the token', async () => {
    const reply = await send({ ...own(), 'Sec-Fetch-Site': 'cross-site', 'X-Console-Token': running.token });
    expect(reply.status).toBe(403);
  });

  it('refuses any request addressed to another host name (DNS rebinding), reads included', async () => {
    const reply = await call(running.port, 'GET', '/api/overview', { Host: `attacker.example:${running.port}` });
    expect(reply.status).toBe(403);
    const page = await call(running.port, 'GET', '/', { Host: `attacker.example:${running.port}` });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain(running.token);
  });

  it('lets its own page through: the request reaches the operation (no such queue here)', async () => {
    const reply = await send({ ...own(), 'X-Console-Token': running.token, 'Sec-Fetch-Site': 'same-origin' });
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body)).toEqual({ error: 'no queue some-queue on stage unit' });
  });

  it('sends no CORS headers and answers no preflight', async () => {
    const preflight = await call(running.port, 'OPTIONS', '/api/queues/some-queue/purge', {
      Host: `127.0.0.1:${running.port}`,
      Origin: 'http://evil.example',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'x-console-token',
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const read = await call(running.port, 'GET', '/api/overview', { Host: `127.0.0.1:${running.port}`, Origin: 'http://evil.example' });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rejects a body that is not JSON with 415/400, not a crash', async () => {
    const headers = { ...own(), 'X-Console-Token': running.token };
    expect((await call(running.port, 'POST', '/api/queues/q/send', { ...headers, 'Content-Type': 'text/plain' }, 'x')).status).toBe(415);
    expect((await call(running.port, 'POST', '/api/queues/q/send', headers, '[1,')).status).toBe(400);
  });

  it('serves the recorded invocations and their events on demand', async () => {
    invocations.add({ functionName: 'f', event: { action: 'stop' }, trigger: 'console', startedAt: Date.now(), durationMs: 5, outcome: { ok: true, payload: { changed: [] } } });
    const list = JSON.parse((await call(running.port, 'GET', '/api/invocations', { Host: `localhost:${running.port}` })).body) as { invocations: { id: number }[] };
    const id = list.invocations[0]?.id;
    const event = JSON.parse((await call(running.port, 'GET', `/api/invocations/${id}/event`, { Host: `localhost:${running.port}` })).body) as { event: string };
    expect(JSON.parse(event.event)).toEqual({ action: 'stop' });
    expect((await call(running.port, 'GET', '/api/invocations/99999/event', { Host: `localhost:${running.port}` })).status).toBe(404);
  });
});
