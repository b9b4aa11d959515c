/**
 * The console's one use of the domain's scheduling (handlers/domain/scheduling): starting or
 * stopping one instance by hand goes through the same EC2 actions the scheduler takes. (A
 * scheduler run, dry or real, invokes the ec2Scheduler function itself through the Lambda API.)
 * Kept to this module so a change of the domain's API is adapted here only.
 */
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { actInBatches } from '../../../handlers/domain/scheduling/ec2-actions';

/** Starts or stops the given instances as the scheduler would; returns the state of each after. */
export async function changeInstanceState(
  ec2: EC2Client,
  action: 'start' | 'stop',
  instanceIds: string[],
): Promise<{ instanceId: string; currentState?: string; error?: string }[]> {
  const outcome = await actInBatches(ec2, action, instanceIds, { batchSize: instanceIds.length, dryRun: false });
  const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: instanceIds }));
  const states = new Map((output.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId, i.State?.Name]));
  return instanceIds.map((instanceId) => {
    const failure = outcome.failed.find((f) => f.instanceId === instanceId);
    return { instanceId, currentState: states.get(instanceId), ...(failure ? { error: `${failure.code}: ${failure.message}` } : {}) };
  });
}
