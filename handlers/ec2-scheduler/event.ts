import { describeIssues, InvalidEventError } from '../platform/errors';
import { type SchedulerRequest, SchedulerRequestSchema } from '../domain/scheduling/request';

/**
 * The rule passes its input as the event: `{"action":"reconcile"}` every few minutes; an explicit
 * action names what it selects:
 * `{"action":"stop","tag":{"key":"Environment","value":"dev"}}`.
 */
export function parseSchedulerEvent(event: unknown): SchedulerRequest {
  const result = SchedulerRequestSchema.safeParse(event);
  if (!result.success) {
    throw new InvalidEventError(
      'Expected a scheduler request {"action":"reconcile"} or {"action":"start"|"stop", "schedule"|"tag"|"instanceIds": ...}',
      describeIssues(result.error.issues),
    );
  }
  return result.data;
}
