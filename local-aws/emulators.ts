import { type ChildProcess, spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { SqsAction } from 'fauxqs';
import { isS3Request, S3Proxy, type S3ObjectCreated } from './s3-proxy';

/** Something the local AWS started and must stop. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * SNS `MessageStructure: json` (a message per protocol, `default` required) is not implemented by
 * fauxqs, which would deliver the whole JSON document. This applies it for the subscribers the
 * emulator has, all of them queues: they get the `sqs` entry, else `default`. (Function
 * subscribers are served through queues here, so they get the same entry; on AWS they get `lambda`.)
 * Returns an error message when the structure is invalid, as SNS rejects it.
 */
export function applyMessageStructure(body: Record<string, unknown>): string | undefined {
  if (body.Action !== 'Publish' || body.MessageStructure !== 'json') return undefined;
  let messages: unknown;
  try {
    messages = JSON.parse(String(body.Message));
  } catch {
    return 'Invalid parameter: Message Structure - JSON message body failed to parse';
  }
  const entries = messages as Record<string, unknown> | null;
  if (!entries || typeof entries !== 'object' || typeof entries.default !== 'string') {
    return 'Invalid parameter: Message Structure - No default entry in JSON message body';
  }
  body.Message = typeof entries.sqs === 'string' ? entries.sqs : entries.default;
  delete body.MessageStructure;
  return undefined;
}

/**
 * Starts the local AWS endpoint on 127.0.0.1: fauxqs serves SQS and SNS; S3 requests are forwarded
 * to moto_server (`s3Endpoint`, e.g. the moto that serves EC2; else one started for S3 alone), see
 * s3-proxy.ts. Neither sends S3 event notifications, so every successful object-creating S3
 * request is reported to `onObjectCreated`. Where fauxqs departed from SQS/SNS (receipt handles
 * and their expiry, message attributes on receive, FIFO batches, groups and deduplication scope,
 * dead-letter queues and running move tasks, purges, input validation, SNS FIFO deduplication,
 * PublishBatch, subscription redrive and filters) it is patched: patches/fauxqs+2.4.1.patch (the
 * conformance suite, test/conformance, names each behaviour). `sqsAction` runs fauxqs's SQS API handlers in this process
 * (the local AWS's event source mappings reach their queues through it, see in-process-sqs.ts).
 */
export async function startFauxqs(options: {
  port: number;
  region: string;
  /** The stage it serves, answered at `GET /_local-aws` so a second run can tell it is there. */
  stage?: string;
  onObjectCreated: (event: S3ObjectCreated) => void;
  s3Endpoint?: string;
  /** Serves the Step Functions API (JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Operation>`). */
  stepFunctions?: StepFunctionsApi;
}): Promise<Stoppable & { sqsAction: SqsAction }> {
  let ownMoto: Stoppable | undefined;
  let s3Endpoint = options.s3Endpoint;
  if (!s3Endpoint) {
    const port = await freeLoopbackPort();
    ownMoto = await startMoto({ port });
    s3Endpoint = `http://127.0.0.1:${port}`;
  }
  const backend = new URL(s3Endpoint);
  const s3 = new S3Proxy({ host: backend.hostname, port: Number(backend.port || 80) }, options.onObjectCreated);
  // fauxqs is published as an ES module only.
  const { buildApp } = await import('fauxqs');
  // Queue URLs as http://127.0.0.1:<port>/<account>/<name>, reachable like AWS's (fauxqs would name
  // sqs.<region>.localhost, which does not resolve on every machine).
  const app = buildApp({ logger: false, defaultRegion: options.region, queueUrlHost: `127.0.0.1:${options.port}` });
  // First of all hooks, before fauxqs reads a body: S3 goes to moto as it came.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const stepFunctions = options.stepFunctions;
    const operation = stepFunctionsOperation(request.raw);
    if (stepFunctions && operation) {
      reply.hijack();
      serveStepFunctions(stepFunctions, operation, request.raw, reply.raw);
      return;
    }
    if (!isS3Request(request.raw)) return done();
    reply.hijack();
    s3.handle(request.raw, reply.raw);
  });
  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const body = request.body as Record<string, unknown> | undefined;
    const error = request.method === 'POST' && request.url === '/' && body && typeof body === 'object' ? applyMessageStructure(body) : undefined;
    if (!error) return done();
    reply
      .status(400)
      .header('content-type', 'text/xml')
      .send(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>${error}</Message></Error></ErrorResponse>`);
  });
  // Bucket names cannot start with `_`, so this never shadows an S3 request (isS3Request leaves it to fauxqs).
  app.get('/_local-aws', async () => ({ service: 'messaging-workers local AWS', stage: options.stage, pid: process.pid }));
  await app.listen({ port: options.port, host: '127.0.0.1' });
  return {
    sqsAction: (app as unknown as { sqsAction: SqsAction }).sqsAction,
    stop: async () => {
      await app.close();
      s3.stop();
      await ownMoto?.stop();
    },
  };
}

/** What answers the Step Functions API: an operation and its JSON body -> the answer, or an error with a `type`. */
export interface StepFunctionsApi {
  handle(operation: string, body: Record<string, unknown>): Promise<unknown>;
}

/** `AWSStepFunctions.StartExecution` -> `StartExecution`: Step Functions' JSON 1.0 requests, told apart from SQS's (`AmazonSQS.*`) by their target. */
export function stepFunctionsOperation(request: IncomingMessage): string | undefined {
  const target = request.headers['x-amz-target'];
  return request.method === 'POST' && typeof target === 'string' && target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : undefined;
}

function serveStepFunctions(api: StepFunctionsApi, operation: string, request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.once('end', () => {
    const answer = (status: number, body: unknown, errorType?: string) => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(text);
    };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      answer(400, { __type: 'SerializationException', message: 'The request body is not JSON' }, 'SerializationException');
      return;
    }
    api.handle(operation, body).then(
      (result) => answer(200, result),
      (error: Error & { type?: string }) => {
        const type = error.type ?? 'InternalFailure';
        answer(error.type ? 400 : 500, { __type: `com.amazonaws.sfn#${type}`, message: error.message }, type);
      },
    );
  });
}

/** A port free on 127.0.0.1 now (the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns a server process and resolves once it prints `readyText` on stdout; `stop()` sends SIGTERM
 * and waits for its exit. Its stdin is a pipe this process holds, so a child that watches stdin
 * can tell when this process is gone. `failure` words the error when it exits before it is ready.
 */
export async function spawnServer(
  command: string,
  args: string[],
  readyText: string,
  failure: (code: number | null, stderr: string) => string,
): Promise<Stoppable> {
  const child: ChildProcess = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(failure(code, stderr))));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(readyText)) resolve();
    });
  });
  child.removeAllListeners('exit');
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts moto_server (EC2, and S3 behind the local AWS endpoint) on 127.0.0.1; it exits by itself when this process dies. */
export function startMoto(options: { port: number }): Promise<Stoppable> {
  return spawnServer(
    process.env.MOTO_PYTHON ?? 'python3',
    [join(__dirname, 'moto-server.py'), String(options.port), String(process.pid)],
    'moto listening',
    (code, stderr) => `moto_server exited with code ${code}. Is moto[server] installed (pip install 'moto[server]')?\n${stderr}`,
  );
}
