import { z } from 'zod';
import { describeIssues, InvalidEventError } from '../platform/errors';
import type { ScheduleAction } from '../domain/scheduling/schedule';

/** The scheduled rules pass `{ "action": "start" | "stop" }` as their input. */
export const ScheduleEventSchema = z.object({ action: z.enum(['start', 'stop']) });

export function parseScheduleEvent(event: unknown): ScheduleAction {
  const result = ScheduleEventSchema.safeParse(event);
  if (!result.success) {
    throw new InvalidEventError('Expected a schedule input {"action":"start"|"stop"}', describeIssues(result.error.issues));
  }
  return result.data.action;
}
