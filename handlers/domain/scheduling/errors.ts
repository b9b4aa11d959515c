import { WorkerError } from '../../platform/errors';

/**
 * A scheduler run could not act on some instances (or volumes). Raised after the run's summary was
 * published, so the invocation fails: it goes to the on-failure destination and raises the alarm
 * (a missed stop costs money silently).
 */
export class SchedulerRunError extends WorkerError {
  override readonly name = 'SchedulerRunError';
  constructor(
    message: string,
    readonly failures: readonly { id: string; code: string; message: string }[],
  ) {
    super(message);
  }
}
