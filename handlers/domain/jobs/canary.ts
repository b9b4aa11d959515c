import * as z from '../../platform/zod';
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
    id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    failUntilAttempt: z.optional(z.int().check(z.gte(1), z.lte(1000))),
    alwaysFail: z.optional(z.boolean()),
    /** Take this long first (to exercise timeouts and in-flight redelivery). */
    delayMs: z.optional(z.int().check(z.gte(0), z.lte(900_000))),
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
