import { copyingCalls, publishCalls, schedulingCalls, volumeCalls } from './domain';
import type { CallTable } from './types';

/**
 * sqsConsumer: its jobs (handlers/domain/jobs) copy objects, run the scheduler and publish
 * notifications. The schedule-instances job admits reconcile, start and stop only: the volume
 * housekeeping its bundle includes (scheduling/scheduler.ts imports volumes.ts) never runs here.
 */
export const sqsConsumerCalls: CallTable = (facts) => [
  ...copyingCalls(facts),
  ...publishCalls(facts),
  ...schedulingCalls(facts),
  ...volumeCalls(facts, 'the schedule-instances job admits reconcile, start and stop only (no housekeep-volumes)'),
];
