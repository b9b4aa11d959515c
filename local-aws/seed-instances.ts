import { DescribeImagesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { localClients } from './clients';
import type { LocalAwsConfig } from './config';

/**
 * Launches two instances in moto so the scheduler has something to act on locally: one tagged for
 * the office-hours schedule, one tagged to stay on. Returns a line per instance.
 */
export async function seedInstances(config: LocalAwsConfig): Promise<string[]> {
  const { ec2 } = localClients(config);
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({}));
  const lines: string[] = [];
  for (const schedule of ['office-hours', 'always-on']) {
    const output = await ec2.send(
      new RunInstancesCommand({
        ImageId: Images[0]?.ImageId,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Schedule', Value: schedule }, { Key: 'Name', Value: `seed-${schedule}` }] }],
      }),
    );
    lines.push(`${output.Instances?.[0]?.InstanceId ?? '?'}  Schedule=${schedule}`);
  }
  return lines;
}
