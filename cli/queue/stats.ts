import type { QueueAttributeName } from '@aws-sdk/client-sqs';
import { deadLetterTargetArn, isDeadLetterQueue } from './queue-policies';
import { queueAttributes, type Queue, resolveQueueArn } from './resolve-queue';

export interface Depth {
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface Stats {
  queue: Depth & { isDeadLetterQueue: boolean };
  /** The queue's dead-letter queue (RedrivePolicy), null when it has none. */
  dlq: Depth | null;
}

type Attributes = Partial<Record<QueueAttributeName, string>>;

const ATTRIBUTES: QueueAttributeName[] = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'RedrivePolicy',
  'RedriveAllowPolicy',
];

export function depthOf(name: string, attributes: Attributes): Depth {
  return {
    name,
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

export async function queueStats(queue: Queue, stage: string): Promise<Stats> {
  const attributes = await queueAttributes(queue, stage, ATTRIBUTES);
  const dlqArn = deadLetterTargetArn(attributes.RedrivePolicy);
  let dlq: Depth | null = null;
  if (dlqArn) {
    const dlqQueue = await resolveQueueArn(dlqArn, stage);
    dlq = depthOf(dlqQueue.name, await queueAttributes(dlqQueue, stage, ATTRIBUTES));
  }
  return { queue: { ...depthOf(queue.name, attributes), isDeadLetterQueue: !dlqArn && isDeadLetterQueue(queue.name, attributes.RedriveAllowPolicy) }, dlq };
}

export function formatStats(stats: Stats): string {
  const rows: Depth[] = [stats.queue, ...(stats.dlq ? [stats.dlq] : [])];
  const width = Math.max(5, ...rows.map((row) => row.name.length));
  const line = (name: string, visible: string, inFlight: string, delayed: string) =>
    `${name.padEnd(width)}  ${visible.padStart(7)}  ${inFlight.padStart(9)}  ${delayed.padStart(7)}`;
  const table = [line('queue', 'visible', 'in flight', 'delayed'), ...rows.map((r) => line(r.name, String(r.visible), String(r.inFlight), String(r.delayed)))];
  if (stats.dlq) table[2] += '  (its dead-letter queue)';
  else if (stats.queue.isDeadLetterQueue) table.push(`${stats.queue.name} is itself a dead-letter queue ('redrive' moves its messages back)`);
  else table.push(`${stats.queue.name} has no dead-letter queue (no RedrivePolicy)`);
  return table.join('\n');
}
