import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Volume,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { housekeepVolumes, planVolumes, SNAPSHOT_TAG, UNATTACHED_SINCE_TAG } from '../../../handlers/domain/scheduling/volumes';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-26T06:00:00Z');

const volume = (id: string, extra: Partial<Volume> = {}): Volume => ({
  VolumeId: id,
  State: 'available',
  Size: 100,
  VolumeType: 'gp3',
  CreateTime: new Date(NOW - 40 * DAY),
  Attachments: [],
  ...extra,
});
const since = (days: number) => [{ Key: UNATTACHED_SINCE_TAG, Value: new Date(NOW - days * DAY).toISOString() }];

describe('planVolumes', () => {
  it('estimates the monthly cost per GiB-month by type, and the age', () => {
    const plan = planVolumes(
      [volume('vol-gp3'), volume('vol-gp2', { VolumeType: 'gp2', Size: 8 }), volume('vol-io2', { VolumeType: 'io2', Size: 1000 }), volume('vol-sc1', { VolumeType: 'sc1', Size: 2000 })],
      NOW,
      { keepTagKey: 'Keep' },
    );

    expect(plan.unattached.map((v) => [v.volumeId, v.monthlyCostUsd, v.ageDays])).toEqual([
      ['vol-gp3', 8, 40],
      ['vol-gp2', 0.8, 40],
      ['vol-io2', 125, 40],
      ['vol-sc1', 30, 40],
    ]);
  });

  it('counts unattached days from its own tag, not from the volume creation', () => {
    const plan = planVolumes([volume('vol-new'), volume('vol-seen', { Tags: since(20) })], NOW, { keepTagKey: 'Keep', deleteAfterDays: 14 });

    expect(plan.unattached.map((v) => [v.volumeId, v.unattachedDays, v.firstSeen])).toEqual([
      ['vol-new', 0, true],
      ['vol-seen', 20, false],
    ]);
    expect(plan.toDelete).toEqual(['vol-seen']);
  });

  it('never deletes a kept, an attached or an in-use volume, nor anything when no age is configured', () => {
    const volumes = [
      volume('vol-kept', { Tags: [...since(90), { Key: 'Keep', Value: '' }] }),
      volume('vol-attached', { Tags: since(90), Attachments: [{ InstanceId: 'i-1' }] }),
      volume('vol-in-use', { Tags: since(90), State: 'in-use' }),
      volume('vol-13d', { Tags: since(13) }),
      volume('vol-14d', { Tags: since(14) }),
    ];

    expect(planVolumes(volumes, NOW, { keepTagKey: 'Keep', deleteAfterDays: 14 }).toDelete).toEqual(['vol-14d']);
    expect(planVolumes(volumes, NOW, { keepTagKey: 'Keep' }).toDelete).toEqual([]);
  });
});

describe('housekeepVolumes deleting a volume', () => {
  const ec2 = mockClient(EC2Client);
  const now = new Date('2025-03-14T06:00:00Z');
  const old = new Date('2025-01-01T00:00:00Z').toISOString();
  const volume = (tags: { Key: string; Value: string }[]): Volume => ({
    VolumeId: 'vol-1',
    Size: 8,
    VolumeType: 'gp3',
    CreateTime: new Date(old),
    State: 'available',
    Tags: [{ Key: UNATTACHED_SINCE_TAG, Value: old }, ...tags],
  });
  const run = () => housekeepVolumes({ ec2: new EC2Client({ region: 'us-east-1' }), now: () => now }, { keepTagKey: 'Keep', deleteAfterDays: 14, dryRun: false });

  beforeEach(() => ec2.reset());

  it('keeps a volume whose snapshot is still pending, and records the snapshot on it', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [volume([])] });
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-1', State: 'pending' });

    const report = await run();

    expect(report.deleted).toEqual([]);
    expect(report.awaitingSnapshot).toEqual([{ volumeId: 'vol-1', snapshotId: 'snap-1' }]);
    expect(ec2.commandCalls(CreateTagsCommand).map((call) => call.args[0].input)).toContainEqual({ Resources: ['vol-1'], Tags: [{ Key: SNAPSHOT_TAG, Value: 'snap-1' }] });
    expect(ec2.commandCalls(DeleteVolumeCommand)).toEqual([]);
  });

  it('deletes the volume on a later run once its recorded snapshot has completed, without a second snapshot', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [volume([{ Key: SNAPSHOT_TAG, Value: 'snap-1' }])] });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'completed' }] });

    const report = await run();

    expect(report.deleted).toEqual([{ volumeId: 'vol-1', snapshotId: 'snap-1' }]);
    expect(ec2.commandCalls(CreateSnapshotCommand)).toEqual([]);
    expect(ec2.commandCalls(DeleteVolumeCommand).map((call) => call.args[0].input)).toEqual([{ VolumeId: 'vol-1' }]);
  });

  it('takes a new snapshot when the recorded one failed, and deletes nothing until it completes', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [volume([{ Key: SNAPSHOT_TAG, Value: 'snap-1' }])] });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'error' }] });
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-2', State: 'pending' });

    const report = await run();

    expect(report.awaitingSnapshot).toEqual([{ volumeId: 'vol-1', snapshotId: 'snap-2' }]);
    expect(ec2.commandCalls(DeleteVolumeCommand)).toEqual([]);
  });
});
