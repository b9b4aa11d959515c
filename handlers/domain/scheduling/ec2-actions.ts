import {
  CreateTagsCommand,
  type EC2Client,
  type Filter,
  type Instance,
  paginateDescribeInstances,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { LastAction, ScheduledInstance } from './schedule';

/** The tags the scheduler writes on the instances it acts on. */
export const LAST_ACTION_TAG = 'scheduler:last-action';
export const LAST_ACTION_AT_TAG = 'scheduler:last-action-at';

/** DescribeInstances' largest page. */
export const DESCRIBE_PAGE_SIZE = 1000;

/** Which instances a run looks at: always those carrying the schedule tag, narrowed by the rest. */
export interface Selection {
  scheduleTagKey: string;
  /** Only instances whose schedule tag has this value. */
  schedule?: string;
  /** Only instances carrying this tag (key = value). */
  tag?: { key: string; value: string };
  instanceIds?: readonly string[];
}

function toScheduled(instance: Instance, scheduleTagKey: string): ScheduledInstance | undefined {
  if (!instance.InstanceId) return undefined;
  const tags = new Map((instance.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  const action = tags.get(LAST_ACTION_TAG);
  const at = Date.parse(tags.get(LAST_ACTION_AT_TAG) ?? '');
  const lastAction =
    (action === 'started' || action === 'stopped' || action === 'retained') && Number.isFinite(at) ? { action: action as LastAction, at } : undefined;
  return {
    instanceId: instance.InstanceId,
    state: instance.State?.Name ?? 'unknown',
    schedule: tags.get(scheduleTagKey) || undefined,
    ...(lastAction ? { lastAction } : {}),
    hibernationConfigured: instance.HibernationOptions?.Configured === true,
    ...(tags.has('aws:autoscaling:groupName') ? { autoScalingGroup: tags.get('aws:autoscaling:groupName') } : {}),
  };
}

/**
 * The instances a run selects, with server-side filters (schedule tag, state, and the selection)
 * and the largest pages DescribeInstances allows. Terminated and shutting-down instances are not asked for.
 */
export async function describeScheduledInstances(ec2: EC2Client, selection: Selection, pageSize = DESCRIBE_PAGE_SIZE): Promise<ScheduledInstance[]> {
  const filters: Filter[] = [
    { Name: 'tag-key', Values: [selection.scheduleTagKey] },
    { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
  ];
  if (selection.schedule !== undefined) filters.push({ Name: `tag:${selection.scheduleTagKey}`, Values: [selection.schedule] });
  if (selection.tag) filters.push({ Name: `tag:${selection.tag.key}`, Values: [selection.tag.value] });
  // InstanceIds cannot be combined with MaxResults; the instance-id filter can.
  if (selection.instanceIds) filters.push({ Name: 'instance-id', Values: [...selection.instanceIds] });
  const instances: ScheduledInstance[] = [];
  for await (const page of paginateDescribeInstances({ client: ec2, pageSize }, { Filters: filters })) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        const scheduled = toScheduled(instance, selection.scheduleTagKey);
        if (scheduled) instances.push(scheduled);
      }
    }
  }
  return instances;
}

export type Ec2Action = 'start' | 'stop' | 'hibernate';

export interface Failure {
  instanceId: string;
  code: string;
  message: string;
}

export interface ActionOutcome {
  /** Acted on (or, in a dry run, would have been: EC2 answered DryRunOperation). */
  succeeded: string[];
  failed: Failure[];
  /** Hibernation refused, stopped normally instead. */
  stoppedWithoutHibernation: string[];
}

/** Errors that say nothing about one instance: splitting the batch would not help. */
const NOT_INSTANCE_SPECIFIC = new Set([
  'UnauthorizedOperation',
  'AuthFailure',
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'InternalError',
  'ServiceUnavailable',
  'Unavailable',
]);

const codeOf = (error: unknown): string => (error instanceof Error ? error.name : 'Error');
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const isServiceError = (error: unknown): boolean => typeof error === 'object' && error !== null && '$metadata' in error;
const refusesHibernation = (error: unknown): boolean => /hibernat/i.test(`${codeOf(error)} ${messageOf(error)}`);

async function call(ec2: EC2Client, action: Ec2Action, instanceIds: string[], dryRun: boolean): Promise<void> {
  try {
    if (action === 'start') await ec2.send(new StartInstancesCommand({ InstanceIds: instanceIds, DryRun: dryRun }));
    else await ec2.send(new StopInstancesCommand({ InstanceIds: instanceIds, Hibernate: action === 'hibernate', DryRun: dryRun }));
  } catch (error) {
    // EC2's DryRun: "Request would have succeeded, but DryRun flag is set."
    if (dryRun && codeOf(error) === 'DryRunOperation') return;
    throw error;
  }
}

/**
 * Starts, stops or hibernates instances in batches of `batchSize`, one call per batch. A batch that
 * fails for a reason tied to an instance (IncorrectInstanceState, InsufficientInstanceCapacity,
 * OperationNotPermitted, hibernation unsupported...) is split in two and each half tried again, so
 * one bad instance fails alone and the others are acted on. An instance that refuses hibernation is
 * stopped normally. Throttling (RequestLimitExceeded) is retried by the SDK client's standard retry
 * strategy (exponential backoff with jitter) before it gets here.
 */
export async function actInBatches(
  ec2: EC2Client,
  action: Ec2Action,
  instanceIds: readonly string[],
  options: { batchSize: number; dryRun: boolean },
  onBatchDone: (succeeded: string[]) => Promise<void> = async () => undefined,
): Promise<ActionOutcome> {
  const outcome: ActionOutcome = { succeeded: [], failed: [], stoppedWithoutHibernation: [] };
  const attempt = async (batch: string[]): Promise<void> => {
    try {
      await call(ec2, action, batch, options.dryRun);
    } catch (error) {
      const code = codeOf(error);
      if (batch.length > 1 && isServiceError(error) && !NOT_INSTANCE_SPECIFIC.has(code)) {
        const half = Math.ceil(batch.length / 2);
        await attempt(batch.slice(0, half));
        await attempt(batch.slice(half));
        return;
      }
      if (batch.length === 1 && action === 'hibernate' && refusesHibernation(error)) {
        const fallback = await actInBatches(ec2, 'stop', batch, options, onBatchDone);
        outcome.succeeded.push(...fallback.succeeded);
        outcome.stoppedWithoutHibernation.push(...fallback.succeeded);
        outcome.failed.push(...fallback.failed);
        return;
      }
      for (const instanceId of batch) outcome.failed.push({ instanceId, code, message: messageOf(error) });
      return;
    }
    outcome.succeeded.push(...batch);
    await onBatchDone(batch);
  };
  for (let i = 0; i < instanceIds.length; i += options.batchSize) await attempt(instanceIds.slice(i, i + options.batchSize));
  return outcome;
}

/** Records the scheduler's action and its time on the instances (one call per batch). */
export async function tagLastAction(ec2: EC2Client, instanceIds: readonly string[], action: LastAction, at: Date, batchSize: number): Promise<void> {
  for (let i = 0; i < instanceIds.length; i += batchSize) {
    await ec2.send(
      new CreateTagsCommand({
        Resources: instanceIds.slice(i, i + batchSize),
        Tags: [
          { Key: LAST_ACTION_TAG, Value: action },
          { Key: LAST_ACTION_AT_TAG, Value: at.toISOString() },
        ],
      }),
    );
  }
}
