import { AttachVolumeCommand, CreateVolumeCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, type Tag } from '@aws-sdk/client-ec2';
import { housekeepVolumes, UNATTACHED_SINCE_TAG } from '../../handlers/domain/scheduling/volumes';
import { launchInstance } from '../../local-aws/seed-instances';
import { type OwnMoto, startOwnMoto } from '../support/own-moto';

/** Housekeeping of unattached EBS volumes against a moto EC2 of this test's own, clock injected. */
let moto: OwnMoto;

beforeAll(async () => {
  moto = await startOwnMoto();
}, 180_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T06:00:00.000Z');

async function volume(size: number, type: 'gp3' | 'gp2' | 'st1', tags: Tag[] = [], zone = 'us-east-1a'): Promise<string> {
  const output = await moto.ec2.send(
    new CreateVolumeCommand({ AvailabilityZone: zone, Size: size, VolumeType: type, TagSpecifications: tags.length ? [{ ResourceType: 'volume', Tags: tags }] : undefined }),
  );
  return output.VolumeId ?? '';
}

/** deleteAfterDays null: report only. */
const housekeep = (at: number, dryRun: boolean, deleteAfterDays: number | null = 14) =>
  housekeepVolumes({ ec2: moto.counted, now: () => new Date(at) }, { keepTagKey: 'Keep', dryRun, ...(deleteAfterDays ? { deleteAfterDays } : {}) });

async function existingVolumes(): Promise<string[]> {
  const output = await moto.ec2.send(new DescribeVolumesCommand({}));
  return (output.Volumes ?? []).map((v) => v.VolumeId ?? '').sort();
}

async function fixture() {
  const instanceId = await launchInstance(moto.ec2, [{ Key: 'Name', Value: 'web' }]);
  const described = await moto.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const zone = described.Reservations?.[0]?.Instances?.[0]?.Placement?.AvailabilityZone ?? 'us-east-1a';
  const attached = await volume(50, 'gp3', [], zone);
  await moto.ec2.send(new AttachVolumeCommand({ VolumeId: attached, InstanceId: instanceId, Device: '/dev/sdf' }));
  return {
    attached,
    leftBehind: await volume(100, 'gp2'),
    small: await volume(10, 'gp3'),
    kept: await volume(500, 'st1', [{ Key: 'Keep', Value: 'audit until 2027' }]),
  };
}

describe('EBS housekeeping (moto)', () => {
  it('reports the unattached volumes with size, type, age and a monthly cost estimate, and marks them', async () => {
    const v = await fixture();

    const report = await housekeep(T0, false);

    expect(report.unattached.map((u) => [u.volumeId, u.sizeGiB, u.volumeType, u.monthlyCostUsd, u.kept, u.firstSeen]).sort()).toEqual(
      [
        [v.leftBehind, 100, 'gp2', 10, false, true],
        [v.small, 10, 'gp3', 0.8, false, true],
        [v.kept, 500, 'st1', 22.5, true, true],
      ].sort(),
    );
    expect(report.monthlyCostUsd).toBe(33.3);
    expect(report.deleted).toEqual([]);
    const tagged = await moto.ec2.send(new DescribeVolumesCommand({ VolumeIds: [v.small] }));
    expect(tagged.Volumes?.[0]?.Tags).toContainEqual({ Key: UNATTACHED_SINCE_TAG, Value: new Date(T0).toISOString() });
  }, 180_000);

  it('snapshots then deletes volumes unattached for 14 days without the keep tag; attached and kept ones stay', async () => {
    const v = await fixture();
    await housekeep(T0, false);
    const late = await volume(20, 'gp3');
    await housekeep(T0 + 10 * DAY, false); // marks `late`

    const report = await housekeep(T0 + 14 * DAY, false);

    expect(report.deleted.map((d) => d.volumeId).sort()).toEqual([v.leftBehind, v.small].sort());
    expect(report.failed).toEqual([]);
    const remaining = await existingVolumes();
    expect(remaining).toEqual(expect.arrayContaining([v.attached, v.kept, late]));
    expect(remaining).not.toContain(v.leftBehind);
    expect(remaining).not.toContain(v.small);
    const snapshots = await moto.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag-key', Values: ['housekeeping:source-volume'] }] }));
    expect((snapshots.Snapshots ?? []).map((s) => s.VolumeId).sort()).toEqual([v.leftBehind, v.small].sort());
  }, 180_000);

  it('in a dry run reports what it would delete and changes nothing', async () => {
    const v = await fixture();
    await housekeep(T0, false);
    const before = await existingVolumes();
    moto.counter.reset();

    const report = await housekeep(T0 + 30 * DAY, true);

    expect(report.dryRun).toBe(true);
    expect(report.deleted.map((d) => d.volumeId).sort()).toEqual([v.leftBehind, v.small].sort());
    expect(await existingVolumes()).toEqual(before);
    const snapshots = await moto.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag-key', Values: ['housekeeping:source-volume'] }] }));
    expect(snapshots.Snapshots ?? []).toEqual([]);
    expect(moto.counter.byAction()).toEqual({ DescribeVolumes: 1, CreateSnapshot: 2, DeleteVolume: 2 });
  }, 180_000);

  it('only reports when no deletion age is configured', async () => {
    const v = await fixture();
    await housekeep(T0, false, null);

    const report = await housekeep(T0 + 365 * DAY, false, null);

    expect(report.deleted).toEqual([]);
    expect(await existingVolumes()).toEqual(expect.arrayContaining([v.leftBehind, v.small]));
  }, 180_000);
});
