import { z } from 'zod';
import { WorkerError } from '../../platform/errors';
import { defineJob } from './job';

/** The canary job failed on purpose. */
export class CanaryFailureError extends WorkerError {
  override readonly name = 'CanaryFailureError';
  constructor(
    message: string,
    readonly receiveCount: number,
  ) {
    super(message);
  }
}

/**
 * A job that does nothing but succeed or fail as told, to prove the pipeline end to end: retries
 * (`failUntilAttempt`: fail while the receive count is below it) and dead-lettering
 * (`alwaysFail`), timeouts (`delayMs`). Idempotent: it has no side effect.
 */
export const canaryJob = defineJob({
  type: 'canary',
  schema: z.object({
    type: z.literal('canary'),
    id: z.string().min(1).max(128).optional(),
    failUntilAttempt: z.number().int().min(1).max(1000).optional(),
    alwaysFail: z.boolean().optional(),
    /** Take this long first (to exercise timeouts and in-flight redelivery). */
    delayMs: z.number().int().min(0).max(900_000).optional(),
  }),
  async run(job, context) {
    if (job.delayMs) await new Promise((resolve) => setTimeout(resolve, job.delayMs));
    if (job.alwaysFail) throw new CanaryFailureError('Canary told to always fail', context.receiveCount);
    if (job.failUntilAttempt !== undefined && context.receiveCount < job.failUntilAttempt) {
      throw new CanaryFailureError(
        `Canary told to fail until attempt ${job.failUntilAttempt}; this is attempt ${context.receiveCount}`,
        context.receiveCount,
      );
    }
    return { id: job.id, attempt: context.receiveCount };
  },
});
