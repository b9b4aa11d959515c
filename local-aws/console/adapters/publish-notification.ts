/**
 * The console's one use of the domain's notification publishing (handlers/domain/notifications):
 * a notification as the workers publish it, shaped per subscriber kind by the domain. Kept to this
 * module so a change of the domain's API is adapted here only.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { publishNotification } from '../../../handlers/domain/notifications/publish';

export interface NotificationForm {
  title: string;
  message: string;
  severity?: string;
}

export async function publishDomainNotification(sns: SNSClient, topicArn: string, form: NotificationForm): Promise<{ messageId: string | undefined }> {
  return publishNotification(sns, topicArn, {
    title: form.title,
    message: form.message,
    severity: (form.severity || 'info') as 'info',
    source: 'local-console',
  });
}
