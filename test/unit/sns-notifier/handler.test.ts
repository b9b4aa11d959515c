import type * as Ssm from '@aws-sdk/client-ssm';
import type { SNSEvent } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { lambdaContext } from '../support/lambda-context';
import { snsEventOf } from '../support/notifications';

type Handler = (event: unknown, context: unknown) => Promise<{ received: number; rejected: number; channels: number }>;

let ssmMock: AwsClientStub<Ssm.SSMClient>;
let GetParameterCommand: typeof Ssm.GetParameterCommand;
const PARAMETER = '/messaging-workers/test/webhook-urls';
const context = lambdaContext({ functionName: 'messaging-workers-test-snsNotifier' });
const ENV_KEYS = ['AWS_REGION', 'WEBHOOK_URLS_PARAMETER', 'WEBHOOK_URLS', 'WEBHOOK_BACKOFF_MS', 'WEBHOOK_TIMEOUT_MS', 'WEBHOOK_ATTEMPTS', 'POWERTOOLS_LOG_LEVEL'];
let receiver: WebhookReceiver;
let failPaths: Set<string>;
let output: string[];

/**
 * The handler as a fresh cold start with this environment (configuration is read at module load,
 * and the parameters utility caches): its own module registry, whose SSM client is faked at the
 * client boundary to answer with the receiver's URLs.
 */
async function loadHandler(env: Record<string, string>): Promise<Handler> {
  for (const key of ENV_KEYS) delete process.env[key];
  Object.assign(process.env, { AWS_REGION: 'us-east-1', WEBHOOK_BACKOFF_MS: '1', WEBHOOK_TIMEOUT_MS: '2000', POWERTOOLS_LOG_LEVEL: 'INFO' }, env);
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    const ssm = await import('@aws-sdk/client-ssm');
    GetParameterCommand = ssm.GetParameterCommand;
    ssmMock = mockClient(ssm.SSMClient);
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Type: 'SecureString', Value: `${secretUrls()[0]}, teams=${secretUrls()[1]}` } });
    handler = (await import('../../../handlers/sns-notifier/handler')).handler as unknown as Handler;
  });
  if (!handler) throw new Error('handler not loaded');
  return handler;
}

const secretUrls = () => [`${receiver.url}/hooks/secret-token-slack`, `${receiver.url}/hooks/secret-token-teams`];

beforeEach(async () => {
  failPaths = new Set();
  receiver = await startWebhookReceiver((path) => (failPaths.has(path) ? 500 : 200));
  output = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true));
});

afterEach(async () => {
  jest.restoreAllMocks();
  ssmMock?.restore();
  for (const key of ENV_KEYS) delete process.env[key];
  await receiver.close();
});

describe('snsNotifier handler', () => {
  it('reads the webhooks from the SSM parameter, decrypted, and delivers Slack and Teams messages', async () => {
    const handler = await loadHandler({ WEBHOOK_URLS_PARAMETER: PARAMETER });

    const result = await handler(snsEventOf('copy-failed'), context);

    expect(result).toEqual({ received: 1, rejected: 0, channels: 2 });
    expect(ssmMock.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([{ Name: PARAMETER, WithDecryption: true }]);
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/hooks/secret-token-slack', '/hooks/secret-token-teams']);
    expect(receiver.requests.find((r) => r.path.endsWith('teams'))?.body).toMatchObject({ type: 'message' });
    expect(receiver.requests.find((r) => r.path.endsWith('slack'))?.body).toMatchObject({ text: expect.stringContaining('Copy failed: reports/missing.csv') });
  });

  it('reads the parameter once for many invocations (cached)', async () => {
    const handler = await loadHandler({ WEBHOOK_URLS_PARAMETER: PARAMETER });

    await handler(snsEventOf('object-copied'), context);
    await handler(snsEventOf('instances-started'), context);

    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(receiver.requests).toHaveLength(4);
  });

  it('delivers to the log only when the webhook parameter does not exist, warning once, and asks SSM again after the cache age', async () => {
    const handler = await loadHandler({ WEBHOOK_URLS_PARAMETER: PARAMETER });
    const { ParameterNotFound } = await import('@aws-sdk/client-ssm');
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: `Parameter ${PARAMETER} not found.`, $metadata: {} }));

    const first = await handler(snsEventOf('copy-failed'), context);
    const second = await handler(snsEventOf('alarm-raised'), context);

    expect([first, second]).toEqual([
      { received: 1, rejected: 0, channels: 0 },
      { received: 1, rejected: 0, channels: 0 },
    ]);
    expect(receiver.requests).toHaveLength(0);
    const lines = output.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.message === 'Webhook parameter not found: delivering to the log only')).toEqual([
      expect.objectContaining({ level: 'WARN', parameter: PARAMETER }),
    ]);
    expect(lines.filter((line) => line.message === 'Notification received')).toHaveLength(2);
    // Remembered as missing for the cache age: one GetParameter for both invocations.
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('still fails the invocation when SSM refuses the read (only a missing parameter means no webhooks)', async () => {
    const handler = await loadHandler({ WEBHOOK_URLS_PARAMETER: PARAMETER });
    ssmMock.on(GetParameterCommand).rejects(Object.assign(new Error('User is not authorized to perform: ssm:GetParameter'), { name: 'AccessDeniedException' }));

    await expect(handler(snsEventOf('copy-failed'), context)).rejects.toMatchObject({ name: 'GetParameterError' });
  });

  it('takes the webhooks from WEBHOOK_URLS when no parameter is named, without calling SSM', async () => {
    const handler = await loadHandler({ WEBHOOK_URLS: secretUrls()[0] ?? '' });

    const result = await handler(snsEventOf('alarm-raised'), context);

    expect(result.channels).toBe(1);
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(receiver.requests).toHaveLength(1);
  });

  it('logs a malformed record and still delivers the others', async () => {
    const handler = await loadHandler({ WEBHOOK_URLS: secretUrls()[0] ?? '' });
    const event = snsEventOf('volumes-cleaned-up');
    const bad = structuredClone(event.Records[0]) as SNSEvent['Records'][number];
    bad.Sns.MessageId = 'bad-record';
    bad.Sns.Message = '{not json';
    event.Records.unshift(bad);

    const result = await handler(event, context);

    expect(result).toEqual({ received: 1, rejected: 1, channels: 1 });
    expect(receiver.requests).toHaveLength(1);
    const rejection = output.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.message === 'Notification rejected');
    expect(rejection).toMatchObject({ level: 'ERROR', messageId: 'bad-record', reason: 'not-json' });
  });

  it('fails the invocation when a webhook refuses every attempt, after delivering to the others', async () => {
    const handler = await loadHandler({ WEBHOOK_URLS_PARAMETER: PARAMETER, WEBHOOK_ATTEMPTS: '2' });
    failPaths.add('/hooks/secret-token-teams');

    await expect(handler(snsEventOf('object-copied'), context)).rejects.toMatchObject({ name: 'DeliveryFailedError' });
    expect(receiver.requests.map((r) => [r.path, r.status])).toEqual(
      expect.arrayContaining([
        ['/hooks/secret-token-slack', 200],
        ['/hooks/secret-token-teams', 500],
        ['/hooks/secret-token-teams', 500],
      ]),
    );
  });

  it('never writes a webhook URL to the log, delivering or failing', async () => {
    const handler = await loadHandler({ WEBHOOK_URLS_PARAMETER: PARAMETER, POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    failPaths.add('/hooks/secret-token-teams');

    const error = await handler(snsEventOf('object-copied'), context).catch((e: unknown) => e as Error);

    expect(error).toMatchObject({ name: 'DeliveryFailedError' });
    expect(output.join('')).toContain('Notification delivered');
    expect(output.join('')).toContain('Notification delivery failed');
    expect(output.join('')).not.toContain('secret-token');
    expect((error as Error).message).not.toContain('secret-token');
  });

  it('refuses to start with both WEBHOOK_URLS and WEBHOOK_URLS_PARAMETER, naming both', async () => {
    const loading = loadHandler({ WEBHOOK_URLS_PARAMETER: PARAMETER, WEBHOOK_URLS: secretUrls()[0] ?? '' });

    // A fresh module registry loads its own copy of the error classes: compare by name.
    await expect(loading).rejects.toMatchObject({ name: 'ConfigurationError', variables: ['WEBHOOK_URLS_PARAMETER', 'WEBHOOK_URLS'] });
  });

  it('refuses to start with a WEBHOOK_URLS entry that is not a URL, naming the entry only', async () => {
    const loading = loadHandler({ WEBHOOK_URLS: 'secret-token-garbage' });

    await expect(loading).rejects.toThrow('WEBHOOK_URLS entry 1 is not a URL');
  });
});
