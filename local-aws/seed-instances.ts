import { DescribeImagesCommand, type EC2Client, RunInstancesCommand, type Tag } from '@aws-sdk/client-ec2';
import { localClients } from './clients';
import type { LocalAwsConfig } from './config';

export interface LaunchOptions {
  count?: number;
  /** Launched with hibernation configured. */
  hibernation?: boolean;
  /** Stop protection: StopInstances fails for it (OperationNotPermitted). */
  disableApiStop?: boolean;
}

/** Launches instances with the given tags in the (local) EC2 and returns their ids. */
export async function launchInstances(ec2: EC2Client, tags: Tag[], options: LaunchOptions = {}): Promise<string[]> {
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({}));
  const count = options.count ?? 1;
  const output = await ec2.send(
    new RunInstancesCommand({
      ImageId: Images[0]?.ImageId,
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      TagSpecifications: tags.length ? [{ ResourceType: 'instance', Tags: tags }] : undefined,
      ...(options.hibernation ? { HibernationOptions: { Configured: true } } : {}),
      ...(options.disableApiStop ? { DisableApiStop: true } : {}),
    }),
  );
  const ids = (output.Instances ?? []).flatMap((instance) => (instance.InstanceId ? [instance.InstanceId] : []));
  if (ids.length !== count) throw new Error(`EC2 launched ${ids.length} instances, not ${count}`);
  return ids;
}

/** Launches one instance with the given tags in the (local) EC2 and returns its id. */
export async function launchInstance(ec2: EC2Client, tags: Tag[]): Promise<string> {
  const [id] = await launchInstances(ec2, tags);
  if (!id) throw new Error('EC2 launched no instance');
  return id;
}

/**
 * Launches two instances in moto so the scheduler has something to act on locally: one tagged for
 * the office-hours schedule, one tagged to stay on. Returns a line per instance.
 */
export async function seedInstances(config: LocalAwsConfig): Promise<string[]> {
  const { ec2 } = localClients(config);
  const lines: string[] = [];
  for (const schedule of ['office-hours', 'always-on']) {
    const id = await launchInstance(ec2, [
      { Key: 'Schedule', Value: schedule },
      { Key: 'Name', Value: `seed-${schedule}` },
    ]);
    lines.push(`${id}  Schedule=${schedule}`);
  }
  return lines;
}
