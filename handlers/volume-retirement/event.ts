import { describeIssues, InvalidEventError } from '../platform/errors';
import * as z from '../platform/zod';

/**
 * What each Task state of the retire-volumes state machine sends (its `Parameters`, see
 * serverless.yml `stepFunctions`): `task` names the step, the rest is that step's data.
 */
const volume = z.object({
  volumeId: z.string().check(z.regex(/^vol-[0-9a-f]{8,17}$/)),
  sizeGiB: z.number(),
  volumeType: z.string(),
  ageDays: z.number(),
  monthlyCostUsd: z.number(),
  tags: z.array(z.object({ Key: z.string(), Value: z.string() })),
});
const snapshot = z.object({ snapshotId: z.string(), state: z.string(), deadline: z.string(), waitSeconds: z.number(), checks: z.number() });
const execution = z.string().check(z.minLength(1));
const outcome = z.union([
  z.object({ volumeId: z.string(), outcome: z.literal('retired'), snapshotId: z.string() }),
  z.object({ volumeId: z.string(), outcome: z.literal('would-retire') }),
  z.object({ volumeId: z.string(), outcome: z.literal('failed'), code: z.string(), message: z.string() }),
]);

const TaskEventSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('validate'), input: z.unknown() }),
  z.object({ task: z.literal('find'), dryRun: z.boolean(), ageLimitDays: z.number() }),
  z.object({ task: z.literal('snapshot'), volume, dryRun: z.boolean(), execution }),
  z.object({ task: z.literal('check-snapshot'), volume, snapshot }),
  z.object({ task: z.literal('delete'), volume, snapshot }),
  z.object({ task: z.literal('announce-retired'), volume, snapshotId: z.string(), execution }),
  z.object({ task: z.literal('announce-failure'), volume, error: z.object({ Error: z.string(), Cause: z.optional(z.string()) }), dryRun: z.boolean(), execution }),
  z.object({
    task: z.literal('report'),
    at: z.string(),
    dryRun: z.boolean(),
    ageLimitDays: z.number(),
    candidates: z.array(volume),
    kept: z.array(volume),
    young: z.array(volume),
    outcomes: z.array(outcome),
    execution,
  }),
]);

export type TaskEvent = z.output<typeof TaskEventSchema>;

export function parseTaskEvent(event: unknown): TaskEvent {
  const result = TaskEventSchema.safeParse(event);
  if (!result.success) throw new InvalidEventError('Expected a volume retirement task {"task": "validate"|"find"|"snapshot"|...}', describeIssues(result.error.issues));
  return result.data;
}
