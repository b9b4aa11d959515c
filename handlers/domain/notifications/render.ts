import type { Notification } from './notification';

/**
 * Renders one notification for each kind of subscriber, as SNS's `MessageStructure: json` expects:
 * functions and queues get the notification as JSON, e-mail gets readable text, webhooks get a
 * JSON document. `default` is required by SNS and serves any other protocol.
 */
export function renderForSubscribers(notification: Notification): Record<string, string> {
  const json = JSON.stringify(notification);
  const text = [
    `[${notification.severity.toUpperCase()}] ${notification.title}`,
    '',
    notification.message,
    '',
    `Source: ${notification.source}`,
    ...(notification.occurredAt ? [`Occurred at: ${notification.occurredAt}`] : []),
    ...(notification.details ? ['', 'Details:', JSON.stringify(notification.details, null, 2)] : []),
  ].join('\n');
  const webhook = JSON.stringify({ type: 'notification', notification });
  return { default: text, lambda: json, sqs: json, email: text, 'email-json': json, http: webhook, https: webhook };
}

/** SNS subjects are at most 100 printable ASCII characters with no line breaks. */
export function subjectFor(notification: Notification): string {
  const ascii = `[${notification.severity}] ${notification.title}`.replace(/[^\x20-\x7E]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}
