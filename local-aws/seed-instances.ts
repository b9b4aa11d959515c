import { DescribeImagesCommand, type EC2Client, RunInstancesCommand, type Tag } from '@aws-sdk/client-ec2';
import { localClients } from './clients';
import type { LocalAwsConfig } from './config';

/** Launches one instance with the given tags in the (local) EC2 and returns its id. */
export async function launchInstance(ec2: EC2Client, tags: Tag[]): Promise<string> {
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({}));
  const output = await ec2.send(
    new RunInstancesCommand({
      ImageId: Images[0]?.ImageId,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: tags.length ? [{ ResourceType: 'instance', Tags: tags }] : undefined,
    }),
  );
  const id = output.Instances?.[0]?.InstanceId;
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
