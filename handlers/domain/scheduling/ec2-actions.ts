import {
  type EC2Client,
  paginateDescribeInstances,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { InstanceSummary, ScheduleAction } from './schedule';

export interface ScheduleTag {
  key: string;
  value: string;
}

/** Lists the instances carrying the schedule tag, all pages, terminated ones excluded. */
export async function findScheduledInstances(ec2: EC2Client, tag: ScheduleTag): Promise<InstanceSummary[]> {
  const instances: InstanceSummary[] = [];
  const pages = paginateDescribeInstances(
    { client: ec2 },
    {
      Filters: [
        { Name: `tag:${tag.key}`, Values: [tag.value] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    },
  );
  for await (const page of pages) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId) {
          instances.push({ instanceId: instance.InstanceId, state: instance.State?.Name ?? 'unknown' });
        }
      }
    }
  }
  return instances;
}

export interface StateChange {
  instanceId: string;
  previousState?: string;
  currentState?: string;
}

/** Starts or stops the given instances in one call; returns the state changes EC2 reports. */
export async function applyScheduleAction(
  ec2: EC2Client,
  action: ScheduleAction,
  instanceIds: readonly string[],
): Promise<StateChange[]> {
  if (instanceIds.length === 0) return [];
  if (action === 'start') {
    const output = await ec2.send(new StartInstancesCommand({ InstanceIds: [...instanceIds] }));
    return (output.StartingInstances ?? []).map((change) => ({
      instanceId: change.InstanceId ?? '',
      previousState: change.PreviousState?.Name,
      currentState: change.CurrentState?.Name,
    }));
  }
  const output = await ec2.send(new StopInstancesCommand({ InstanceIds: [...instanceIds] }));
  return (output.StoppingInstances ?? []).map((change) => ({
    instanceId: change.InstanceId ?? '',
    previousState: change.PreviousState?.Name,
    currentState: change.CurrentState?.Name,
  }));
}
