import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { isPurgeInProgress } from './aws-errors';
import { sqs } from './client';
import { ConfirmationRequiredError, PurgeInProgressError } from './errors';
import type { Queue } from './resolve-queue';
import type { Stage } from './stage';

/** A local stage's queues may be purged at will; a deployed stage's only with `--yes`. */
export function checkPurgeConfirmed(queueName: string, stage: Stage, yes: boolean): void {
  if (!stage.local && !yes) throw new ConfirmationRequiredError(queueName, stage.name);
}

export async function purge(queue: Queue): Promise<void> {
  try {
    await sqs().send(new PurgeQueueCommand({ QueueUrl: queue.url }));
  } catch (error) {
    if (isPurgeInProgress(error)) throw new PurgeInProgressError(queue.name);
    throw error;
  }
}
