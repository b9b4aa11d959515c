import { WorkerError } from '../../platform/errors';
import type { Notification } from './notification';
import { slackMessage, teamsMessage } from './render';

export const WEBHOOK_FORMATS = ['slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/**
 * A webhook to deliver to. The URL is a secret (whoever has it can post to the channel): it is
 * never logged nor put in an error message; `name` stands for it.
 */
export interface WebhookChannel {
  name: string;
  format: WebhookFormat;
  url: string;
}

/** The webhook configuration is malformed. Names the entry, never its URL. */
export class InvalidWebhookConfigError extends WorkerError {
  override readonly name = 'InvalidWebhookConfigError';
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
  }
}

/**
 * Parses a webhook list: entries separated by commas or whitespace, each `https://...`
 * (Slack-style JSON) or `teams=https://...` / `slack=https://...`.
 */
export function parseWebhookList(value: string, setting: string): WebhookChannel[] {
  const entries = value.split(/[\s,]+/).filter((entry) => entry !== '');
  return entries.map((entry, index) => {
    const position = index + 1;
    const match = /^(?:([a-z]+)=)?(.+)$/.exec(entry);
    const format = match?.[1] ?? 'slack';
    if (!(WEBHOOK_FORMATS as readonly string[]).includes(format)) {
      throw new InvalidWebhookConfigError(`${setting} entry ${position} has an unknown format "${format}" (expected ${WEBHOOK_FORMATS.join(' or ')})`, setting);
    }
    let url: URL;
    try {
      url = new URL(match?.[2] ?? '');
    } catch {
      throw new InvalidWebhookConfigError(`${setting} entry ${position} is not a URL`, setting);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InvalidWebhookConfigError(`${setting} entry ${position} must be an http(s) URL`, setting);
    }
    return { name: `webhook-${position}`, format: format as WebhookFormat, url: url.toString() };
  });
}

export interface DeliveryOptions {
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the 2nd attempt; doubles each time (with jitter). */
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export type DeliveryResult =
  | { channel: string; format: WebhookFormat; ok: true; attempts: number; status: number }
  | { channel: string; format: WebhookFormat; ok: false; attempts: number; reason: string };

/** The body a channel of this format expects. */
export function webhookBody(format: WebhookFormat, notification: Notification): Record<string, unknown> {
  return format === 'teams' ? teamsMessage(notification) : slackMessage(notification);
}

/** Exponential backoff with equal jitter: attempt 1 -> about backoffMs, 2 -> about 2 x backoffMs, ... */
export function backoffDelay(backoffMs: number, retry: number, random: () => number = Math.random): number {
  const base = backoffMs * 2 ** (retry - 1);
  return Math.round(base / 2 + (random() * base) / 2);
}

type AttemptOutcome = { ok: true; status: number } | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

/** The longest Retry-After (429/503) honoured; beyond it the usual backoff applies. */
export const MAX_RETRY_AFTER_MS = 10_000;

/** Retry-After in seconds (Slack and Teams send seconds), if present and short enough to wait for. */
function retryAfterMs(header: string | null): number | undefined {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 && seconds * 1000 <= MAX_RETRY_AFTER_MS ? seconds * 1000 : undefined;
}

/** Reasons name status codes and error codes only: an error's message may quote the URL. */
async function attempt(channel: WebhookChannel, body: string, timeoutMs: number): Promise<AttemptOutcome> {
  try {
    const response = await fetch(channel.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true, status: response.status };
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    return { ok: false, retryable, reason: `HTTP ${response.status}`, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, retryable: true, reason: `no answer within ${timeoutMs} ms` };
    const code = ((error as Error).cause as { code?: unknown } | undefined)?.code;
    return { ok: false, retryable: true, reason: `network error${typeof code === 'string' ? ` ${code}` : ''}` };
  }
}

/**
 * Posts a notification to one webhook: a timeout per attempt, retries with exponential backoff on
 * timeouts, network errors, 408, 429 and 5xx (waiting as a short Retry-After asks instead); a 4xx
 * other than those fails at once.
 */
export async function deliverToWebhook(channel: WebhookChannel, notification: Notification, options: DeliveryOptions): Promise<DeliveryResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const body = JSON.stringify(webhookBody(channel.format, notification));
  const { name, format } = channel;
  for (let attemptNumber = 1; ; attemptNumber++) {
    const outcome = await attempt(channel, body, options.timeoutMs);
    if (outcome.ok) return { channel: name, format, ok: true, attempts: attemptNumber, status: outcome.status };
    if (!outcome.retryable || attemptNumber >= options.attempts) return { channel: name, format, ok: false, attempts: attemptNumber, reason: outcome.reason };
    await sleep(outcome.retryAfterMs ?? backoffDelay(options.backoffMs, attemptNumber));
  }
}

/** Delivers to every channel side by side; one channel's failure does not stop the others. */
export function deliverToWebhooks(channels: readonly WebhookChannel[], notification: Notification, options: DeliveryOptions): Promise<DeliveryResult[]> {
  return Promise.all(channels.map((channel) => deliverToWebhook(channel, notification, options)));
}

/** Some channels did not take a notification after every attempt; the invocation fails so Lambda retries it. */
export class DeliveryFailedError extends WorkerError {
  override readonly name = 'DeliveryFailedError';
  constructor(readonly failures: readonly { notificationId: string; channel: string; reason: string }[]) {
    super(`Failed to deliver ${failures.length} notification(s): ${failures.map((f) => `${f.notificationId} to ${f.channel} (${f.reason})`).join('; ')}`);
  }
}
