/**
 * The console's one use of the domain's scheduling (handlers/domain/scheduling): what a scheduler
 * run would do, decided by the domain's own rules without acting. (A run for real invokes the
 * ec2Scheduler function itself through the Lambda API.) Starting or stopping one instance by hand
 * goes through the same EC2 actions the scheduler takes. Kept to this module so a change of the
 * domain's API is adapted here only.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { applyScheduleAction, findScheduledInstances } from '../../../handlers/domain/scheduling/ec2-actions';
import { planSchedule } from '../../../handlers/domain/scheduling/schedule';

export interface DryRun {
  action: 'start' | 'stop';
  targets: string[];
  skipped: { instanceId: string; reason: string }[];
}

export async function dryRunSchedule(ec2: EC2Client, action: 'start' | 'stop', tag: { key: string; value: string }): Promise<DryRun> {
  const plan = planSchedule(action, await findScheduledInstances(ec2, tag));
  return { action, targets: plan.targets, skipped: plan.skipped };
}

/** Starts or stops the given instances as the scheduler would; returns the new state of each. */
export async function changeInstanceState(ec2: EC2Client, action: 'start' | 'stop', instanceIds: string[]): Promise<{ instanceId: string; currentState?: string }[]> {
  const changes = await applyScheduleAction(ec2, action, instanceIds);
  return changes.map(({ instanceId, currentState }) => ({ instanceId, currentState }));
}
