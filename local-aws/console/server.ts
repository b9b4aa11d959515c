import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZodError } from 'zod';
import { describeAwsError } from '../../cli/queue/aws-errors';
import { CliError, PurgeInProgressError } from '../../cli/queue/errors';
import type { InvocationRecord } from '../invocation-log';
import { log } from '../log';
import { type ConsoleContext, ConsoleOperations, ConsoleRequestError } from './operations';

const PUBLIC = join(__dirname, 'public');
const ASSETS: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const JSON_LIMIT = 2 * 1024 * 1024;
const UPLOAD_LIMIT = 100 * 1024 * 1024 + 1;

/** The header state-changing requests carry the page's token in. */
export const TOKEN_HEADER = 'x-console-token';

export interface RunningConsole {
  url: string;
  port: number;
  token: string;
  stop(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function send(response: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) => send(response, status, JSON.stringify(value), 'application/json; charset=utf-8');

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `the request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'send JSON (Content-Type: application/json)');
  const text = (await readBody(request, JSON_LIMIT)).toString('utf8');
  try {
    const value: unknown = text === '' ? {} : JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'the request body is not a JSON object');
  }
}

function sameToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/**
 * Who may talk to the console: requests addressed to it by its own loopback name (a page of
 * another site that re-points its DNS name at 127.0.0.1 sends its own Host and is refused), and,
 * for anything that changes state, only from its own page: same Origin when the browser sends one,
 * not a cross-site fetch, and the page's per-run token in a custom header (which a cross-site form
 * or image cannot set, and a cross-site script cannot read). No CORS headers are ever sent.
 */
export function refusal(request: IncomingMessage, port: number, token: string): string | undefined {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(request.headers.host ?? '')) return `Host ${request.headers.host ?? '(none)'} is not this console`;
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.map((host) => `http://${host}`).includes(origin)) return `Origin ${origin} is not this console`;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return `a ${site} request`;
  if (!sameToken(request.headers[TOKEN_HEADER], token)) return `missing or wrong ${TOKEN_HEADER} header (reload the console page)`;
  return undefined;
}

function errorStatus(error: unknown): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  if (error instanceof ConsoleRequestError) return { status: error.status, message: error.message };
  // SQS allows one purge of a queue per 60 seconds: a conflict with the purge under way.
  if (error instanceof PurgeInProgressError) return { status: 409, message: error.message };
  if (error instanceof CliError) return { status: error.exitCode === 2 ? 400 : 500, message: error.message };
  if (error instanceof ZodError) return { status: 400, message: error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ') };
  return { status: 502, message: describeAwsError(error) };
}

type Route = (request: IncomingMessage, response: ServerResponse, match: RegExpMatchArray, url: URL) => Promise<unknown>;

/**
 * The local console: a web page over the local AWS on 127.0.0.1:`port`, served by the local AWS
 * process (`sls offline start`, `npm run local-aws`). Plain HTML and JavaScript modules from
 * ./public, no build step; a JSON API under /api; the invocations the local AWS makes as
 * server-sent events.
 */
export async function startConsole(context: ConsoleContext, port: number): Promise<RunningConsole> {
  const token = randomBytes(32).toString('hex');
  let boundPort = port;
  const operations = new ConsoleOperations(context);
  const page = readFileSync(join(PUBLIC, 'index.html'), 'utf8').replace('__CONSOLE_TOKEN__', token).replaceAll('__STAGE__', context.config.stage);
  const streams = new Set<ServerResponse>();
  const onInvocation = (record: InvocationRecord) => {
    for (const stream of streams) stream.write(`event: invocation\ndata: ${JSON.stringify(record)}\n\n`);
  };
  context.invocations.on('added', onInvocation);

  const json = (handler: (body: Record<string, unknown>, match: RegExpMatchArray, url: URL) => Promise<unknown> | unknown): Route =>
    async (request, _response, match, url) => handler(request.method === 'POST' ? await readJson(request) : {}, match, url);
  const name = (match: RegExpMatchArray) => decodeURIComponent(match[1] ?? '');

  const routes: [string, RegExp, Route][] = [
    ['GET', /^\/api\/overview$/, json(() => operations.overview())],
    ['GET', /^\/api\/queues$/, json(() => operations.queues())],
    ['POST', /^\/api\/queues\/([^/]+)\/send$/, json((body, m) => operations.send(name(m), body))],
    ['POST', /^\/api\/queues\/([^/]+)\/receive$/, json((body, m) => operations.receive(name(m), body))],
    ['POST', /^\/api\/queues\/([^/]+)\/release$/, json((body, m) => operations.release(name(m), body))],
    ['POST', /^\/api\/queues\/([^/]+)\/delete$/, json((body, m) => operations.deleteMessage(name(m), body))],
    ['POST', /^\/api\/queues\/([^/]+)\/purge$/, json((body, m) => operations.purge(name(m), body))],
    ['POST', /^\/api\/queues\/([^/]+)\/redrive$/, json((_body, m) => operations.redrive(name(m)))],
    ['GET', /^\/api\/topics$/, json(() => operations.topics())],
    ['POST', /^\/api\/topics\/([^/]+)\/publish$/, json((body, m) => operations.publish(name(m), body))],
    ['POST', /^\/api\/topics\/([^/]+)\/notify$/, json((body, m) => operations.publishNotification(name(m), body))],
    ['GET', /^\/api\/buckets\/([^/]+)\/objects$/, json((_body, m, url) => operations.objects(name(m), url.searchParams))],
    [
      'POST',
      /^\/api\/buckets\/([^/]+)\/objects$/,
      async (request, _response, m, url) =>
        operations.upload(name(m), url.searchParams.get('key') ?? '', await readBody(request, UPLOAD_LIMIT), request.headers['content-type']),
    ],
    [
      'GET',
      /^\/api\/buckets\/([^/]+)\/object$/,
      async (_request, response, m, url) => {
        const key = url.searchParams.get('key') ?? '';
        const object = await operations.download(name(m), key);
        const fileName = key.split('/').pop() || 'object';
        response.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': object.contentType,
          'Content-Disposition': `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
          ...(object.length !== undefined ? { 'Content-Length': String(object.length) } : {}),
        });
        await pipeline(object.body, response);
        return undefined;
      },
    ],
    ['GET', /^\/api\/instances$/, json(() => operations.instances())],
    ['POST', /^\/api\/instances\/([^/]+)\/action$/, json((body, m) => operations.instanceAction(name(m), body))],
    ['POST', /^\/api\/scheduler\/run$/, json((body) => operations.runScheduler(body))],
    ['GET', /^\/api\/invocations$/, json((_body, _m, url) => operations.invocations(url.searchParams.get('function') ?? undefined))],
    ['GET', /^\/api\/invocations\/(\d+)\/event$/, json((_body, m) => ({ event: operations.invocationEvent(Number(m[1])) }))],
    ['GET', /^\/api\/executions$/, json(() => operations.executions())],
    ['GET', /^\/api\/executions\/([^/]+)$/, json((_body, m) => operations.execution(name(m)))],
    ['POST', /^\/api\/state-machines\/([^/]+)\/start$/, json((body, m) => operations.startExecution(name(m), body))],
  ];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const refused = refusal(request, boundPort, token);
    if (refused) {
      log.warn('Local console refused a request', { method: request.method, url: request.url, reason: refused });
      sendJson(response, 403, { error: `refused: ${refused}` });
      return;
    }
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${boundPort}`);
    if (request.method === 'GET' && url.pathname === '/') {
      send(response, 200, page, 'text/html; charset=utf-8');
      return;
    }
    const asset = /^\/assets\/([a-z0-9-]+(\.js|\.css))$/.exec(url.pathname);
    if (request.method === 'GET' && asset?.[1] && asset[2]) {
      send(response, 200, readFileSync(join(PUBLIC, asset[1])), ASSETS[asset[2]] ?? 'text/plain');
      return;
    }
    if (request.method === 'GET' && url.pathname === '/api/events') {
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      response.write(': connected\n\n');
      streams.add(response);
      request.once('close', () => streams.delete(response));
      return;
    }
    const route = routes.find(([method, pattern]) => pattern.test(url.pathname) && method === request.method);
    if (!route) {
      const known = routes.some(([, pattern]) => pattern.test(url.pathname));
      sendJson(response, known ? 405 : 404, { error: known ? `${request.method} is not allowed here` : `nothing at ${url.pathname}` });
      return;
    }
    try {
      const result = await route[2](request, response, url.pathname.match(route[1]) as RegExpMatchArray, url);
      if (!response.headersSent) sendJson(response, 200, result);
    } catch (error) {
      const { status, message } = errorStatus(error);
      if (status >= 500) log.warn('Local console request failed', { method: request.method, path: url.pathname, reason: message });
      if (!response.headersSent) sendJson(response, status, { error: message });
      else response.destroy();
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${boundPort}/`,
    port: boundPort,
    token,
    stop: async () => {
      context.invocations.off('added', onInvocation);
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
