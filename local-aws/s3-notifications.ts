import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Event } from 'aws-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type AsyncInvokeTarget, invokeAsync } from './async-invoke';
import type { S3ObjectCreated } from './s3-proxy';
import { log } from './log';
import type { LocalPlan } from './plan';

/** Object keys in S3 event notifications are form-URL-encoded: `+` for a space, %XX for UTF-8. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** Does a notification configuration's event (`s3:ObjectCreated:*`, `s3:ObjectCreated:Put`) match? */
export function matchesNotification(
  notification: LocalPlan['bucketNotifications'][number],
  created: Pick<S3ObjectCreated, 'bucket' | 'key' | 'eventName'>,
): boolean {
  if (notification.bucket !== created.bucket) return false;
  if (notification.prefix && !created.key.startsWith(notification.prefix)) return false;
  if (notification.suffix && !created.key.endsWith(notification.suffix)) return false;
  return notification.events.some((event) => {
    const wanted = event.replace(/^s3:/, '');
    return wanted.endsWith(':*') ? created.eventName.startsWith(wanted.slice(0, -1)) : wanted === created.eventName;
  });
}

export function toS3Event(
  created: S3ObjectCreated,
  object: { size: number; eTag: string; versionId?: string },
  region: string,
  sequencer: string,
): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: new Date().toISOString(),
        eventName: created.eventName,
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: created.sourceIp },
        responseElements: { 'x-amz-request-id': sequencer, 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'local-aws',
          bucket: { name: created.bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${created.bucket}` },
          object: {
            key: encodeS3EventKey(created.key),
            size: object.size,
            eTag: object.eTag,
            ...(object.versionId ? { versionId: object.versionId } : {}),
            sequencer,
          },
        },
      },
    ],
  };
}

/** Delivers S3 ObjectCreated notifications to the functions configured on the bucket. */
export class S3Notifications {
  private sequence = 0;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly clients: { s3: S3Client; lambda: LambdaClient; sqs: SQSClient },
    private readonly plan: LocalPlan,
    private readonly region: string,
    private readonly asyncTarget: (functionName: string) => AsyncInvokeTarget,
  ) {}

  readonly onObjectCreated = (created: S3ObjectCreated): void => {
    const targets = this.plan.bucketNotifications.filter((notification) => matchesNotification(notification, created));
    if (targets.length === 0) return;
    const task = this.deliver(created, targets).finally(() => this.pending.delete(task));
    this.pending.add(task);
  };

  private async deliver(created: S3ObjectCreated, targets: LocalPlan['bucketNotifications']): Promise<void> {
    let object: { size: number; eTag: string; versionId?: string } = { size: 0, eTag: '', versionId: created.versionId };
    try {
      const head = await this.clients.s3.send(new HeadObjectCommand({ Bucket: created.bucket, Key: created.key, VersionId: created.versionId }));
      object = { size: head.ContentLength ?? 0, eTag: (head.ETag ?? '').replace(/"/g, ''), versionId: created.versionId };
    } catch (error) {
      log.warn('HeadObject failed for the notification', { bucket: created.bucket, key: created.key, reason: (error as Error).message });
    }
    const sequencer = (++this.sequence).toString(16).toUpperCase().padStart(16, '0');
    const event = toS3Event(created, object, this.region, sequencer);
    await Promise.all(
      targets.map(({ functionName }) => invokeAsync(this.clients, this.asyncTarget(functionName), event)),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.pending);
  }
}
