import type { EC2Client } from '@aws-sdk/client-ec2';
import { logger } from '../../platform/logger';
import { actInBatches, type ActionOutcome, describeScheduledInstances, type Ec2Action, type Selection, tagLastAction } from './ec2-actions';
import type { InstanceRequest } from './request';
import { decide, decideExplicit, type LastAction, type Plan, type Target } from './schedule';
import type { SchedulerConfig } from './schedules';

export interface SchedulerDependencies {
  ec2: EC2Client;
  config: SchedulerConfig;
  scheduleTagKey: string;
  /** The clock; tests and the bench inject theirs. */
  now: () => Date;
}

export interface RunSummary {
  action: InstanceRequest['action'];
  dryRun: boolean;
  at: string;
  /** Instances the run looked at. */
  selected: number;
  started: Target[];
  stopped: Target[];
  retained: Target[];
  failed: { instanceId: string; action: Ec2Action | 'tag'; code: string; message: string }[];
  /** Instances whose schedule tag names no configured schedule (a configuration problem). */
  unknownSchedule: { instanceId: string; schedule?: string }[];
  /** Instances left as they are (already in the wanted state, in transition, changed by hand...). */
  unchanged: number;
}

/** Did the run start, stop, retain or fail anything, or find a problem to report? */
export const isNoteworthy = (summary: RunSummary): boolean =>
  summary.started.length + summary.stopped.length + summary.retained.length + summary.failed.length + summary.unknownSchedule.length > 0;

function selectionOf(request: InstanceRequest, scheduleTagKey: string): Selection {
  return {
    scheduleTagKey,
    ...(request.schedule !== undefined ? { schedule: request.schedule } : {}),
    ...(request.tag ? { tag: request.tag } : {}),
    ...(request.instanceIds ? { instanceIds: request.instanceIds } : {}),
  };
}

function describeRequest(request: InstanceRequest): string {
  const selectors = [
    request.schedule !== undefined ? `schedule ${request.schedule}` : '',
    request.tag ? `tag ${request.tag.key}=${request.tag.value}` : '',
    request.instanceIds ? `instances ${request.instanceIds.join(', ')}` : '',
  ].filter(Boolean);
  return `explicit ${request.action} of ${selectors.join(' and ')}`;
}

/**
 * One scheduler run, shared by the ec2Scheduler handler and the `schedule-instances` job: select the
 * scheduled instances, decide (pure), act in batches, tag what was acted on, and summarise.
 */
export async function runScheduler(deps: SchedulerDependencies, request: InstanceRequest): Promise<RunSummary> {
  const now = deps.now();
  const dryRun = request.dryRun ?? deps.config.dryRun;
  const { batchSize } = deps.config;
  const instances = await describeScheduledInstances(deps.ec2, selectionOf(request, deps.scheduleTagKey));
  const plan: Plan =
    request.action === 'reconcile'
      ? decide(instances, deps.config.schedules, now.getTime())
      : decideExplicit(request.action, instances, deps.config.schedules, describeRequest(request));
  for (const skip of plan.skipped) logger.debug('Instance left as it is', { ...skip });

  const summary: RunSummary = {
    action: request.action,
    dryRun,
    at: now.toISOString(),
    selected: instances.length,
    started: [],
    stopped: [],
    retained: [],
    failed: [],
    unknownSchedule: plan.skipped.filter((skip) => skip.unknownSchedule).map(({ instanceId, schedule }) => ({ instanceId, schedule })),
    unchanged: plan.skipped.length,
  };

  const tagAfter = (lastAction: LastAction) => async (ids: string[]) => {
    if (dryRun) return;
    try {
      await tagLastAction(deps.ec2, ids, lastAction, now, batchSize);
    } catch (error) {
      // The action happened; without its tag a later run may act once more on an instance changed by hand.
      for (const instanceId of ids) summary.failed.push({ instanceId, action: 'tag', code: (error as Error).name, message: (error as Error).message });
    }
  };
  const record = (action: Ec2Action, targets: Target[], outcome: ActionOutcome, into: Target[]) => {
    const byId = new Map(targets.map((target) => [target.instanceId, target]));
    for (const instanceId of outcome.succeeded) {
      const target = byId.get(instanceId);
      if (!target) continue;
      const fallback = outcome.stoppedWithoutHibernation.includes(instanceId);
      into.push({ ...target, ...(fallback ? { hibernate: false, reason: `${target.reason} (hibernation refused, stopped)` } : {}) });
    }
    for (const failure of outcome.failed) summary.failed.push({ ...failure, action });
  };

  const options = { batchSize, dryRun };
  const ids = (targets: Target[]) => targets.map((target) => target.instanceId);
  record('start', plan.start, await actInBatches(deps.ec2, 'start', ids(plan.start), options, tagAfter('started')), summary.started);
  const hibernating = plan.stop.filter((target) => target.hibernate);
  const stopping = plan.stop.filter((target) => !target.hibernate);
  record('stop', stopping, await actInBatches(deps.ec2, 'stop', ids(stopping), options, tagAfter('stopped')), summary.stopped);
  record('hibernate', hibernating, await actInBatches(deps.ec2, 'hibernate', ids(hibernating), options, tagAfter('stopped')), summary.stopped);
  if (plan.retain.length > 0) {
    await tagAfter('retained')(ids(plan.retain));
    summary.retained.push(...plan.retain.filter((target) => !summary.failed.some((failure) => failure.instanceId === target.instanceId)));
  }

  logger.info('Scheduler run', {
    action: summary.action,
    dryRun,
    selected: summary.selected,
    started: summary.started.length,
    stopped: summary.stopped.length,
    retained: summary.retained.length,
    failed: summary.failed.length,
    unknownSchedule: summary.unknownSchedule.length,
  });
  return summary;
}
