import type { EC2Client } from '@aws-sdk/client-ec2';
import { logger } from '../../platform/logger';
import { applyScheduleAction, findScheduledInstances, type ScheduleTag, type StateChange } from './ec2-actions';
import { planSchedule, type ScheduleAction, type SchedulePlan } from './schedule';

export interface ScheduleRun {
  plan: SchedulePlan;
  changes: StateChange[];
}

/** One scheduler run: find the tagged instances, decide, act. Shared by the handler and the job. */
export async function runSchedule(ec2: EC2Client, action: ScheduleAction, tag: ScheduleTag): Promise<ScheduleRun> {
  const instances = await findScheduledInstances(ec2, tag);
  const plan = planSchedule(action, instances);
  for (const { instanceId, reason } of plan.skipped) logger.info('Instance skipped', { action, instanceId, reason });
  const changes = await applyScheduleAction(ec2, action, plan.targets);
  for (const change of changes) logger.info('Instance state changed', { action, ...change });
  return { plan, changes };
}
