import { CreateBucketCommand, type LambdaFunctionConfiguration, PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { LocalClients } from './clients';
import type { LocalPlan } from './plan';

/** Attributes that name other queues; set once every queue exists. */
const LINKING_ATTRIBUTES = ['RedrivePolicy', 'RedriveAllowPolicy'];
/** Accepted by AWS, not by the emulator; they change nothing locally. */
const AWS_ONLY_ATTRIBUTES = ['SqsManagedSseEnabled'];

export interface ProvisionedResources {
  queueUrls: Record<string, string>;
  topicArns: Record<string, string>;
  buckets: string[];
}

/**
 * Creates the plan's queues, topics, SNS -> SQS subscriptions and buckets through the AWS APIs of
 * the emulator, exactly as declared.
 */
export async function provision(clients: LocalClients, plan: LocalPlan): Promise<ProvisionedResources> {
  const queueUrls: Record<string, string> = {};
  for (const queue of plan.queues) {
    const attributes = Object.fromEntries(
      Object.entries(queue.attributes).filter(([name]) => !LINKING_ATTRIBUTES.includes(name) && !AWS_ONLY_ATTRIBUTES.includes(name)),
    );
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: attributes }));
    queueUrls[queue.name] = QueueUrl ?? '';
  }
  for (const queue of plan.queues) {
    const linking = Object.fromEntries(Object.entries(queue.attributes).filter(([name]) => LINKING_ATTRIBUTES.includes(name)));
    if (Object.keys(linking).length > 0) {
      await clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrls[queue.name], Attributes: linking }));
    }
  }
  const topicArns: Record<string, string> = {};
  for (const topic of plan.topics) {
    const { TopicArn } = await clients.sns.send(
      new CreateTopicCommand({ Name: topic.name, Attributes: Object.keys(topic.attributes).length ? topic.attributes : undefined }),
    );
    topicArns[topic.name] = TopicArn ?? '';
  }
  for (const subscription of plan.queueSubscriptions) {
    await clients.sns.send(
      new SubscribeCommand({
        TopicArn: subscription.topicArn,
        Protocol: 'sqs',
        Endpoint: subscription.queueArn,
        Attributes: subscription.attributes,
        ReturnSubscriptionArn: true,
      }),
    );
  }
  for (const bucket of plan.buckets) {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
    // The local AWS delivers these itself (s3-notifications.ts); S3 answers them as AWS would.
    const LambdaFunctionConfigurations = lambdaConfigurations(plan.bucketNotifications.filter((notification) => notification.bucket === bucket.name));
    if (LambdaFunctionConfigurations.length > 0) {
      await clients.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket.name, NotificationConfiguration: { LambdaFunctionConfigurations } }));
    }
  }
  return { queueUrls, topicArns, buckets: plan.buckets.map((bucket) => bucket.name) };
}

/** A bucket's notifications as the template declares them, in the shape S3's API takes and answers. */
export function lambdaConfigurations(notifications: LocalPlan['bucketNotifications']): LambdaFunctionConfiguration[] {
  return notifications.map((notification) => {
    const FilterRules = [
      ...(notification.prefix !== undefined ? [{ Name: 'prefix' as const, Value: notification.prefix }] : []),
      ...(notification.suffix !== undefined ? [{ Name: 'suffix' as const, Value: notification.suffix }] : []),
    ];
    return {
      LambdaFunctionArn: notification.functionArn,
      Events: notification.events as LambdaFunctionConfiguration['Events'],
      ...(FilterRules.length > 0 ? { Filter: { Key: { FilterRules } } } : {}),
    };
  });
}
