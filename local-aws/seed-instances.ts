import { CreateVolumeCommand, DescribeImagesCommand, type EC2Client, RunInstancesCommand, type Tag } from '@aws-sdk/client-ec2';
import { localClients } from './clients';
import type { LocalAwsConfig } from './config';

export interface LaunchOptions {
  count?: number;
  /** Launched with hibernation configured. */
  hibernation?: boolean;
  /** Stop protection: StopInstances fails for it (OperationNotPermitted). */
  disableApiStop?: boolean;
}

const images = new WeakMap<EC2Client, Promise<string | undefined>>();

/** An image to launch from (moto's DescribeImages lists thousands: asked once per client). */
function imageOf(ec2: EC2Client): Promise<string | undefined> {
  let image = images.get(ec2);
  if (!image) {
    image = ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 })).then(({ Images = [] }) => Images[0]?.ImageId);
    images.set(ec2, image);
  }
  return image;
}

/** Launches instances with the given tags in the (local) EC2 and returns their ids. */
export async function launchInstances(ec2: EC2Client, tags: Tag[], options: LaunchOptions = {}): Promise<string[]> {
  const count = options.count ?? 1;
  const output = await ec2.send(
    new RunInstancesCommand({
      ImageId: await imageOf(ec2),
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
 * Seeds moto so the scheduler has something to act on locally, and returns a line per resource:
 * - one instance on the office-hours schedule (Berlin, weekdays 07:00-19:00) and one always-on;
 * - two always-on instances tagged Environment=dev, which
 *   `sls invoke local -f ec2Scheduler -p events/ec2-stop-tagged.json` stops (and the reconcile rule
 *   then leaves stopped);
 * - EBS volumes for the retire-volumes state machine: two left unattached, one of them with the keep tag.
 */
export async function seedInstances(config: LocalAwsConfig): Promise<string[]> {
  const { ec2 } = localClients(config);
  const lines: string[] = [];
  const seeds: { schedule: string; name: string; extra: Tag[] }[] = [
    { schedule: 'office-hours', name: 'seed-office-hours', extra: [] },
    { schedule: 'always-on', name: 'seed-always-on', extra: [] },
    { schedule: 'always-on', name: 'seed-dev-1', extra: [{ Key: 'Environment', Value: 'dev' }] },
    { schedule: 'always-on', name: 'seed-dev-2', extra: [{ Key: 'Environment', Value: 'dev' }] },
  ];
  for (const { schedule, name, extra } of seeds) {
    const id = await launchInstance(ec2, [{ Key: 'Schedule', Value: schedule }, { Key: 'Name', Value: name }, ...extra]);
    lines.push(`instance ${id}  Schedule=${schedule}${extra.map((tag) => `  ${tag.Key}=${tag.Value}`).join('')}`);
  }
  for (const { size, type, keep } of [
    { size: 100, type: 'gp2' as const, keep: false },
    { size: 500, type: 'st1' as const, keep: true },
  ]) {
    const output = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: `${config.region}a`,
        Size: size,
        VolumeType: type,
        TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'seed-left-behind' }, ...(keep ? [{ Key: 'Keep', Value: 'seed' }] : [])] }],
      }),
    );
    lines.push(`volume ${output.VolumeId ?? '?'}  ${size} GiB ${type}, unattached${keep ? ', Keep tag' : ''}`);
  }
  return lines;
}
