import { parameterCalls, publishCalls } from './domain';
import type { CallTable } from './types';

/** snsNotifier: reads its webhook URLs from SSM; it delivers to webhooks (HTTPS, no AWS call). */
export const snsNotifierCalls: CallTable = (facts) => [
  ...parameterCalls(facts),
  ...publishCalls(facts, 'the notifier imports domain/notifications/publish.ts only for SNS_MAX_MESSAGE_BYTES; it publishes nothing'),
];
