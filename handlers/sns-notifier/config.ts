import { ConfigurationError } from '../platform/errors';
import { loadConfig } from '../platform/config';
import { Environment } from '../platform/environment';
import * as z from '../platform/zod';
import { readSecretParameter } from '../platform/parameters';
import { parseWebhookList, type WebhookChannel } from '../domain/notifications/webhooks';
import { logger } from '../platform/logger';

export const config = loadConfig(
  z.pick(Environment, { WEBHOOK_URLS_PARAMETER: true, WEBHOOK_URLS: true, WEBHOOK_TIMEOUT_MS: true, WEBHOOK_ATTEMPTS: true, WEBHOOK_BACKOFF_MS: true }),
);
if (config.WEBHOOK_URLS_PARAMETER && config.WEBHOOK_URLS) {
  throw new ConfigurationError('Invalid configuration: set WEBHOOK_URLS_PARAMETER or WEBHOOK_URLS, not both', ['WEBHOOK_URLS_PARAMETER', 'WEBHOOK_URLS']);
}

/** A malformed WEBHOOK_URLS fails at start-up, naming the entry (never its URL). */
const configuredChannels = parseWebhookList(config.WEBHOOK_URLS ?? '', 'WEBHOOK_URLS');

export const delivery = { timeoutMs: config.WEBHOOK_TIMEOUT_MS, attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS };

/**
 * The webhooks to deliver to, from where configuration says: the SSM parameter named by
 * WEBHOOK_URLS_PARAMETER (deployed stages; read through the Powertools cache), else WEBHOOK_URLS
 * (stages on this machine), else none (the log is the only channel).
 *
 * A parameter that does not exist (a stage deployed before anyone created it) means no webhooks:
 * the notifications still reach the log, and a warning says so once per cold start, instead of
 * every invocation failing into the async failures queue.
 */
let warnedMissing = false;
export async function webhookChannels(): Promise<WebhookChannel[]> {
  if (config.WEBHOOK_URLS_PARAMETER) {
    const value = await readSecretParameter(config.WEBHOOK_URLS_PARAMETER);
    if (value !== undefined) return parseWebhookList(value, 'WEBHOOK_URLS_PARAMETER');
    if (!warnedMissing) logger.warn('Webhook parameter not found: delivering to the log only', { parameter: config.WEBHOOK_URLS_PARAMETER });
    warnedMissing = true;
    return [];
  }
  return configuredChannels;
}
