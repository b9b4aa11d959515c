import { backoffDelay, deliverToWebhook, deliverToWebhooks, InvalidWebhookConfigError, parseWebhookList, type WebhookChannel } from '../../../handlers/domain/notifications/webhooks';
import { type Answer, startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver';
import { thrownBy } from '../support/errors';
import { objectCopied } from '../support/notifications';

const noWait = { timeoutMs: 2000, attempts: 3, backoffMs: 1, sleep: async () => undefined };

describe('parseWebhookList', () => {
  it('reads Slack-style URLs by default and Teams ones with a teams= prefix, separated by commas or spaces', () => {
    const channels = parseWebhookList('https://hooks.example/a, teams=https://teams.example/b\nslack=http://127.0.0.1:9/c', 'WEBHOOK_URLS');

    expect(channels).toEqual([
      { name: 'webhook-1', format: 'slack', url: 'https://hooks.example/a' },
      { name: 'webhook-2', format: 'teams', url: 'https://teams.example/b' },
      { name: 'webhook-3', format: 'slack', url: 'http://127.0.0.1:9/c' },
    ]);
  });

  it('reads an empty value as no webhook', () => {
    expect(parseWebhookList('  ', 'WEBHOOK_URLS')).toEqual([]);
  });

  it.each([
    ['not a URL', 'https://ok.example/a,secret-token-not-a-url', 'WEBHOOK_URLS entry 2 is not a URL'],
    ['an unknown format', 'discord=https://secret.example/token', 'WEBHOOK_URLS entry 1 has an unknown format "discord" (expected slack or teams)'],
    ['another scheme', 'ftp://secret.example/token', 'WEBHOOK_URLS entry 1 must be an http(s) URL'],
  ])('rejects %s naming the entry, never its text', (_case, value, message) => {
    const error = thrownBy(() => parseWebhookList(value, 'WEBHOOK_URLS'));

    expect(error).toBeInstanceOf(InvalidWebhookConfigError);
    expect((error as Error).message).toBe(message);
    expect((error as Error).message).not.toContain('secret');
  });
});

describe('backoffDelay', () => {
  it('doubles with each retry, between half and all of the step', () => {
    expect([1, 2, 3].map((retry) => backoffDelay(100, retry, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((retry) => backoffDelay(100, retry, () => 1))).toEqual([100, 200, 400]);
  });
});

describe('deliverToWebhook', () => {
  let receiver: WebhookReceiver;
  let answers: Answer[];
  const channel = (path = '/hook/secret-token', format: WebhookChannel['format'] = 'slack'): WebhookChannel => ({ name: 'webhook-1', format, url: `${receiver.url}${path}` });

  beforeEach(async () => {
    answers = [];
    receiver = await startWebhookReceiver(() => answers.shift() ?? 200);
  });
  afterEach(() => receiver.close());

  it('posts the Slack message once when the receiver takes it', async () => {
    const result = await deliverToWebhook(channel(), objectCopied(), noWait);

    expect(result).toEqual({ channel: 'webhook-1', format: 'slack', ok: true, attempts: 1, status: 200 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.body).toMatchObject({ text: expect.stringContaining('Object copied: reports/my file.txt'), blocks: expect.any(Array) });
  });

  it('posts a Teams Adaptive Card to a teams channel', async () => {
    await deliverToWebhook(channel('/teams', 'teams'), objectCopied(), noWait);

    expect(receiver.requests[0]?.body).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
  });

  it('retries after 5xx and 429 and succeeds on the third attempt, waiting with growing backoff', async () => {
    answers = [503, 429, 200];
    const waits: number[] = [];

    const result = await deliverToWebhook(channel(), objectCopied(), { ...noWait, backoffMs: 100, sleep: async (ms) => void waits.push(ms) });

    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(receiver.requests.map((r) => r.status)).toEqual([503, 429, 200]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('waits as a short Retry-After asks, and falls back to backoff when it is too long', async () => {
    answers = [{ status: 429, retryAfter: '2' }, { status: 429, retryAfter: '3600' }, 200];
    const waits: number[] = [];

    const result = await deliverToWebhook(channel(), objectCopied(), { ...noWait, backoffMs: 100, sleep: async (ms) => void waits.push(ms) });

    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the last attempt, with a reason that names the status only', async () => {
    answers = [500, 500, 500, 200];

    const result = await deliverToWebhook(channel(), objectCopied(), noWait);

    expect(result).toEqual({ channel: 'webhook-1', format: 'slack', ok: false, attempts: 3, reason: 'HTTP 500' });
    expect(receiver.requests).toHaveLength(3);
  });

  it('does not retry a 4xx the receiver will keep answering', async () => {
    answers = [404, 200];

    const result = await deliverToWebhook(channel(), objectCopied(), noWait);

    expect(result).toMatchObject({ ok: false, attempts: 1, reason: 'HTTP 404' });
  });

  it('times out a receiver that does not answer and retries', async () => {
    answers = ['hang', 200];

    const result = await deliverToWebhook(channel(), objectCopied(), { ...noWait, timeoutMs: 200 });

    expect(result).toMatchObject({ ok: true, attempts: 2 });
  });

  it('reports a receiver that is not there as a network error, without its URL', async () => {
    const gone = channel();
    await receiver.close();

    const result = await deliverToWebhook(gone, objectCopied(), noWait);

    expect(result).toMatchObject({ ok: false, attempts: 3, reason: 'network error ECONNREFUSED' });
    receiver = await startWebhookReceiver();
  });

  it('delivers to every channel even when one fails', async () => {
    answers = [];
    const failing = await startWebhookReceiver(() => 500);
    try {
      const results = await deliverToWebhooks([channel(), { name: 'webhook-2', format: 'teams', url: `${failing.url}/x` }], objectCopied(), noWait);

      expect(results.map((r) => [r.channel, r.ok])).toEqual([
        ['webhook-1', true],
        ['webhook-2', false],
      ]);
    } finally {
      await failing.close();
    }
  });
});
