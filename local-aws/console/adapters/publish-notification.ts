/**
 * The console's one use of the domain's notification publishing (handlers/domain/notifications):
 * a typed notification draft, validated by the domain's schema, completed and published exactly
 * as the workers publish one (attributes, one payload per subscriber kind). Kept to this module so
 * a change of the domain's API is adapted here only.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { describeIssues } from '../../../handlers/platform/errors';
import { NotificationDraftSchema } from '../../../handlers/domain/notifications/notification';
import { publishNotification } from '../../../handlers/domain/notifications/publish';

/** What the page sends: a notification draft as JSON (`type` and that type's fields). */
export function parseNotificationDraft(draft: unknown): { ok: true; draft: ReturnType<typeof NotificationDraftSchema.parse> } | { ok: false; reason: string } {
  const parsed = NotificationDraftSchema.safeParse(draft);
  return parsed.success ? { ok: true, draft: parsed.data } : { ok: false, reason: `Not a notification: ${describeIssues(parsed.error.issues).join('; ')}` };
}

export async function publishDomainNotification(
  sns: SNSClient,
  topicArn: string,
  draft: ReturnType<typeof NotificationDraftSchema.parse>,
): Promise<{ messageId: string | undefined }> {
  const published = await publishNotification(sns, topicArn, { source: 'local-console', ...draft });
  return { messageId: published.messageId };
}
