/**
 * Pure scheduling decisions: which of the tagged instances a start or stop run acts on.
 */
export type ScheduleAction = 'start' | 'stop';

export interface InstanceSummary {
  instanceId: string;
  /** EC2 state name: pending | running | shutting-down | terminated | stopping | stopped */
  state: string;
}

export interface SchedulePlan {
  action: ScheduleAction;
  /** Instances the action applies to. */
  targets: string[];
  /** Instances left alone, with the reason. */
  skipped: { instanceId: string; reason: string }[];
}

const ACTIONABLE_STATE: Record<ScheduleAction, string> = { start: 'stopped', stop: 'running' };
const ALREADY_DONE: Record<ScheduleAction, readonly string[]> = {
  start: ['pending', 'running'],
  stop: ['stopping', 'stopped'],
};

/**
 * A start run starts the stopped instances; a stop run (after hours) stops the running ones.
 * Instances already in (or moving to) the wanted state, and terminated ones, are skipped, so a run
 * repeated by a retry changes nothing.
 */
export function planSchedule(action: ScheduleAction, instances: readonly InstanceSummary[]): SchedulePlan {
  const plan: SchedulePlan = { action, targets: [], skipped: [] };
  for (const { instanceId, state } of instances) {
    if (state === ACTIONABLE_STATE[action]) plan.targets.push(instanceId);
    else if (ALREADY_DONE[action].includes(state)) plan.skipped.push({ instanceId, reason: `already ${state}` });
    else plan.skipped.push({ instanceId, reason: `cannot ${action} from state ${state}` });
  }
  return plan;
}
