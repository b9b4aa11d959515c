import { Agent, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';

/** An object an S3 request created, as the proxy reports it (moto sends no event notifications). */
export type S3ObjectCreated = {
  bucket: string;
  key: string;
  eventName: 'ObjectCreated:Put' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectCreated:Post';
  sourceIp: string;
  /** The version the request created, in a bucket with versioning enabled. */
  versionId?: string;
};

/**
 * S3 on the local AWS endpoint is served by moto_server, behind the fauxqs port: fauxqs's own S3
 * sends sub-resource requests (`?tagging`, `?policy`, `?versioning`, `?uploads`, ...) to the plain
 * object and bucket handlers and loses data, while moto implements them (tagging, policies,
 * versioning, conditional writes, multipart listing; where moto 5 departs from S3, our launcher
 * patches it: moto-server.py). This forwards S3 requests to moto unchanged and reports the objects
 * created, since moto here sends no event notifications.
 */

/** The service a SigV4 credential scope names (`.../<region>/<service>/aws4_request`). */
const SIGV4_SERVICE = /\/([a-z0-9-]+)\/aws4_request/i;

/**
 * Does this request of the shared endpoint belong to S3 (not SQS, SNS, STS or fauxqs's own)? Every
 * S3 request goes to moto, whatever its signature: fauxqs serves an S3 of its own, a second store,
 * to whatever reaches it. So only what is surely not S3 stays with fauxqs: a SigV4 signature (header
 * or presigned URL) of another service, an AWS JSON request (X-Amz-Target), the query protocol's
 * `POST /`, and fauxqs's health and inspection routes. SigV2 (`Authorization: AWS key:signature`,
 * or a presigned `?AWSAccessKeyId=...&Signature=...`) is S3's alone.
 */
export function isS3Request(request: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): boolean {
  const url = request.url ?? '/';
  const authorization = request.headers.authorization;
  const scope = typeof authorization === 'string' ? authorization : url.includes('X-Amz-Credential=') ? decodeURIComponent(url) : undefined;
  const service = scope === undefined ? undefined : SIGV4_SERVICE.exec(scope)?.[1];
  if (service !== undefined) return service.toLowerCase() === 's3';
  if (typeof authorization === 'string' && authorization.startsWith('AWS ')) return true;
  if (request.headers['x-amz-target'] !== undefined) return false;
  const path = url.split('?')[0] ?? '/';
  if (path === '/health' || path === '/_local-aws' || path.startsWith('/_fauxqs/')) return false;
  if (request.method === 'POST' && path === '/') return false;
  return true;
}

/** Query parameters that only name the SDK operation or a version: a plain object request. */
const PLAIN_OBJECT_QUERY = new Set(['x-id', 'versionId']);

/** Which ObjectCreated, if any, a successful S3 request made. */
export function objectCreatedBy(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
): Pick<S3ObjectCreated, 'bucket' | 'key' | 'eventName'> | undefined {
  const [rawPath = '/', rawQuery = ''] = url.split('?', 2);
  const slash = rawPath.indexOf('/', 1);
  if (slash < 0 || slash === rawPath.length - 1) return undefined;
  const bucket = decodeURIComponent(rawPath.slice(1, slash));
  const key = decodeURIComponent(rawPath.slice(slash + 1));
  const query = [...new URLSearchParams(rawQuery).keys()];
  if (method === 'PUT' && query.every((name) => PLAIN_OBJECT_QUERY.has(name))) {
    return { bucket, key, eventName: headers['x-amz-copy-source'] !== undefined ? 'ObjectCreated:Copy' : 'ObjectCreated:Put' };
  }
  if (method === 'POST' && query.includes('uploadId')) return { bucket, key, eventName: 'ObjectCreated:CompleteMultipartUpload' };
  return undefined;
}

function s3Error(response: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>local</RequestId></Error>`;
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'local' });
  response.end(body);
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade']);

export class S3Proxy {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly backend: { host: string; port: number },
    private readonly onObjectCreated: (event: S3ObjectCreated) => void,
  ) {}

  /** Answers one S3 request: forwards it to moto and its answer back. */
  handle(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '/';
    const method = request.method ?? 'GET';
    const headers: IncomingHttpHeaders = { ...request.headers, host: `${this.backend.host}:${this.backend.port}` };
    // The client was answered 100 Continue by this server already; the body follows as it comes.
    delete headers.expect;
    const upstream = httpRequest({ host: this.backend.host, port: this.backend.port, method, path: url, headers, agent: this.agent }, (answer) => {
      const status = answer.statusCode ?? 502;
      const answerHeaders: IncomingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name)) answerHeaders[name] = value;
      response.writeHead(status, answerHeaders);
      answer.pipe(response);
      answer.once('end', () => {
        if (status !== 200) return;
        const created = objectCreatedBy(method, url, request.headers);
        if (!created) return;
        const versionId = answer.headers['x-amz-version-id'];
        this.onObjectCreated({
          ...created,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          ...(typeof versionId === 'string' && versionId !== 'null' ? { versionId } : {}),
        });
      });
    });
    upstream.once('error', (error) => {
      if (!response.headersSent) s3Error(response, 503, 'ServiceUnavailable', `The local S3 (moto_server) did not answer: ${error.message}`);
      else response.destroy(error);
    });
    request.pipe(upstream);
  }

  stop(): void {
    this.agent.destroy();
  }
}
