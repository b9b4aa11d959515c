import { GetQueueAttributesCommand, GetQueueUrlCommand, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { isQueueMissing } from './aws-errors';
import { sqs } from './client';
import { QueueNotFoundError, UsageError } from './errors';

export const SERVICE = 'messaging-workers';
/** The queues of serverless.yml / resources/queues.yml, by the part of the name after the stage. */
export const ALIASES = ['work', 'work-dlq', 'work.fifo', 'work-dlq.fifo'] as const;

export interface QueueRef {
  name: string;
  /** Set when the user gave a URL: it is used as given. */
  url?: string;
}

export interface Queue {
  name: string;
  url: string;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}(\.fifo)?$/;

/**
 * What `--queue` names: a URL (used as given), a full queue name (`messaging-workers-...`), or an
 * alias of this service's queues on the stage (`work` -> `messaging-workers-<stage>-work`).
 */
export function queueRef(ref: string, stage: string): QueueRef {
  const value = ref.trim();
  if (value === '') throw new UsageError('--queue must not be empty');
  if (/^https?:\/\//i.test(value)) {
    const name = new URL(value).pathname.split('/').filter(Boolean).pop();
    if (!name) throw new UsageError(`${value} is not a queue URL (it has no queue name)`);
    return { name, url: value };
  }
  const name = value.startsWith(`${SERVICE}-`) ? value : `${SERVICE}-${stage}-${value}`;
  if (!QUEUE_NAME.test(name) || name.length > 80) {
    throw new UsageError(`${name} is not a valid queue name (up to 80 letters, digits, - and _, optionally ending .fifo)`);
  }
  return { name };
}

export const isFifo = (queueName: string): boolean => queueName.endsWith('.fifo');

/** `arn:aws:sqs:us-east-1:123456789012:name` -> name and account. */
export function parseQueueArn(arn: string): { name: string; accountId: string } {
  const parts = arn.split(':');
  const name = parts[5];
  if (parts.length !== 6 || parts[2] !== 'sqs' || !name) throw new UsageError(`${arn} is not an SQS queue ARN`);
  return { name, accountId: parts[4] ?? '' };
}

async function urlOf(name: string, stage: string, accountId?: string): Promise<string> {
  try {
    const { QueueUrl } = await sqs().send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: accountId || undefined }));
    if (!QueueUrl) throw new QueueNotFoundError(name, stage);
    return QueueUrl;
  } catch (error) {
    if (isQueueMissing(error)) throw new QueueNotFoundError(name, stage);
    throw error;
  }
}

/** The queue `--queue` names, checked to exist on the stage. */
export async function resolveQueue(ref: string, stage: string): Promise<Queue> {
  const { name, url } = queueRef(ref, stage);
  if (url) {
    await queueAttributes({ name, url }, stage, ['QueueArn']);
    return { name, url };
  }
  return { name, url: await urlOf(name, stage) };
}

export async function resolveQueueArn(arn: string, stage: string): Promise<Queue> {
  const { name, accountId } = parseQueueArn(arn);
  return { name, url: await urlOf(name, stage, accountId) };
}

export async function queueAttributes(queue: Queue, stage: string, names: QueueAttributeName[]): Promise<Partial<Record<QueueAttributeName, string>>> {
  try {
    const { Attributes = {} } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: names }));
    return Attributes;
  } catch (error) {
    if (isQueueMissing(error)) throw new QueueNotFoundError(queue.name, stage);
    throw error;
  }
}
