import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  paginateDescribeVolumes,
  type Volume,
} from '@aws-sdk/client-ec2';
import { logger } from '../../platform/logger';

/** Written on an unattached volume the first time housekeeping sees it: the clock for deletion. */
export const UNATTACHED_SINCE_TAG = 'housekeeping:unattached-since';
/** Written on a volume when its snapshot before deletion is taken: the volume is deleted only once that snapshot is completed. */
export const SNAPSHOT_TAG = 'housekeeping:snapshot-id';
/** DescribeVolumes' largest page. */
export const VOLUME_PAGE_SIZE = 500;

/**
 * EBS storage list prices in USD per GiB-month, us-east-1 (N. Virginia), as published on
 * aws.amazon.com/ebs/pricing. An estimate: other regions differ by up to ~30%, and provisioned
 * IOPS/throughput (io1, io2, gp3 above its baseline) and snapshots are not included.
 */
export const PRICE_PER_GIB_MONTH_USD: Readonly<Record<string, number>> = {
  gp3: 0.08,
  gp2: 0.1,
  io1: 0.125,
  io2: 0.125,
  st1: 0.045,
  sc1: 0.015,
  standard: 0.05,
};
export const PRICE_REGION = 'us-east-1 list prices';

const DAY = 86_400_000;

export interface UnattachedVolume {
  volumeId: string;
  sizeGiB: number;
  volumeType: string;
  ageDays: number;
  /** Since when housekeeping has seen it unattached (the tag; now on first sight). */
  unattachedSince: string;
  unattachedDays: number;
  monthlyCostUsd: number;
  kept: boolean;
  /** Seen unattached for the first time in this run (gets the unattached-since tag). */
  firstSeen: boolean;
}

export interface VolumePlan {
  unattached: UnattachedVolume[];
  /** Snapshot then delete: unattached for deleteAfterDays or more, no keep tag. */
  toDelete: string[];
}

export interface VolumeSettings {
  keepTagKey: string;
  /** Absent: report only. */
  deleteAfterDays?: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Pure: what the unattached volumes cost and which of them to delete. */
export function planVolumes(volumes: readonly Volume[], now: number, settings: VolumeSettings): VolumePlan {
  const plan: VolumePlan = { unattached: [], toDelete: [] };
  for (const volume of volumes) {
    if (!volume.VolumeId || volume.State !== 'available' || (volume.Attachments ?? []).length > 0) continue;
    const tags = new Map((volume.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
    const tagged = Date.parse(tags.get(UNATTACHED_SINCE_TAG) ?? '');
    const since = Number.isFinite(tagged) ? tagged : now;
    const sizeGiB = volume.Size ?? 0;
    const volumeType = volume.VolumeType ?? 'standard';
    const entry: UnattachedVolume = {
      volumeId: volume.VolumeId,
      sizeGiB,
      volumeType,
      ageDays: volume.CreateTime ? Math.floor((now - volume.CreateTime.getTime()) / DAY) : 0,
      unattachedSince: new Date(since).toISOString(),
      unattachedDays: Math.floor((now - since) / DAY),
      monthlyCostUsd: round2(sizeGiB * (PRICE_PER_GIB_MONTH_USD[volumeType] ?? PRICE_PER_GIB_MONTH_USD.gp2 ?? 0)),
      kept: tags.has(settings.keepTagKey),
      firstSeen: !Number.isFinite(tagged),
    };
    plan.unattached.push(entry);
    if (settings.deleteAfterDays !== undefined && !entry.kept && now - since >= settings.deleteAfterDays * DAY) plan.toDelete.push(entry.volumeId);
  }
  return plan;
}

export interface VolumeReport {
  at: string;
  dryRun: boolean;
  unattached: UnattachedVolume[];
  totalGiB: number;
  monthlyCostUsd: number;
  priceRegion: string;
  /** Snapshotted and deleted (in a dry run: would be; EC2 answered DryRunOperation to both). */
  deleted: { volumeId: string; snapshotId?: string }[];
  /** Snapshotted, not yet deleted: the snapshot is still pending; the next run deletes the volume once it has completed. */
  awaitingSnapshot: { volumeId: string; snapshotId: string }[];
  failed: { volumeId: string; code: string; message: string }[];
}

const isDryRunAnswer = (error: unknown) => error instanceof Error && error.name === 'DryRunOperation';

/**
 * Housekeeping of the EBS volumes left behind (a terminated instance's volumes stay, billed): lists
 * the unattached ones, marks those seen for the first time, and, when configured, snapshots and then
 * deletes those unattached for `deleteAfterDays` without the keep tag. The snapshot keeps the data
 * (it completes even after the volume is deleted); the deletion stops the bill.
 */
export async function housekeepVolumes(
  deps: { ec2: EC2Client; now: () => Date },
  settings: VolumeSettings & { dryRun: boolean },
): Promise<VolumeReport> {
  const now = deps.now();
  const volumes: Volume[] = [];
  const pages = paginateDescribeVolumes({ client: deps.ec2, pageSize: VOLUME_PAGE_SIZE }, { Filters: [{ Name: 'status', Values: ['available'] }] });
  for await (const page of pages) volumes.push(...(page.Volumes ?? []));
  const plan = planVolumes(volumes, now.getTime(), settings);
  const report: VolumeReport = {
    at: now.toISOString(),
    dryRun: settings.dryRun,
    unattached: plan.unattached,
    totalGiB: plan.unattached.reduce((sum, v) => sum + v.sizeGiB, 0),
    monthlyCostUsd: round2(plan.unattached.reduce((sum, v) => sum + v.monthlyCostUsd, 0)),
    priceRegion: PRICE_REGION,
    deleted: [],
    awaitingSnapshot: [],
    failed: [],
  };

  const firstSeen = plan.unattached.filter((v) => v.firstSeen).map((v) => v.volumeId);
  if (!settings.dryRun && firstSeen.length > 0) {
    for (let i = 0; i < firstSeen.length; i += 1000) {
      await deps.ec2.send(new CreateTagsCommand({ Resources: firstSeen.slice(i, i + 1000), Tags: [{ Key: UNATTACHED_SINCE_TAG, Value: now.toISOString() }] }));
    }
  }

  const tagsOf = new Map(volumes.map((volume) => [volume.VolumeId ?? '', volume.Tags ?? []]));
  for (const volumeId of plan.toDelete) {
    try {
      const outcome = await snapshotThenDelete(deps.ec2, volumeId, tagsOf.get(volumeId) ?? [], settings.dryRun);
      if (outcome.deleted) report.deleted.push({ volumeId, ...(outcome.snapshotId ? { snapshotId: outcome.snapshotId } : {}) });
      else report.awaitingSnapshot.push({ volumeId, snapshotId: outcome.snapshotId ?? '' });
    } catch (error) {
      report.failed.push({ volumeId, code: (error as Error).name, message: (error as Error).message });
    }
  }
  logger.info('Volume housekeeping', {
    dryRun: settings.dryRun,
    unattached: report.unattached.length,
    monthlyCostUsd: report.monthlyCostUsd,
    deleted: report.deleted.length,
    awaitingSnapshot: report.awaitingSnapshot.length,
    failed: report.failed.length,
  });
  return report;
}

/**
 * Keeps the data before the bill stops: a volume is deleted only once a snapshot of it has
 * completed. The first run takes the snapshot and records its id on the volume (SNAPSHOT_TAG); a
 * run that finds that snapshot completed deletes the volume, one that finds it pending leaves the
 * volume for the next run, and a snapshot that failed or is gone is taken again. In a dry run EC2's
 * DryRun answers both calls and nothing is created, tagged or deleted.
 */
async function snapshotThenDelete(
  ec2: EC2Client,
  volumeId: string,
  tags: readonly { Key?: string; Value?: string }[],
  dryRun: boolean,
): Promise<{ deleted: boolean; snapshotId?: string }> {
  const dryRunAnswered = async (call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (error) {
      if (!(dryRun && isDryRunAnswer(error))) throw error;
    }
  };
  let snapshotId = tags.find((tag) => tag.Key === SNAPSHOT_TAG)?.Value;
  let state: string | undefined;
  if (snapshotId && !dryRun) {
    const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })).catch((error: Error) => {
      if (error.name === 'InvalidSnapshot.NotFound') return { Snapshots: [] };
      throw error;
    });
    state = Snapshots[0]?.State;
  }
  if (!snapshotId || state === undefined || state === 'error') {
    if (dryRun) {
      await dryRunAnswered(() => ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, DryRun: true })));
      await dryRunAnswered(() => ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId, DryRun: true })));
      return { deleted: true };
    }
    const snapshot = await ec2.send(
      new CreateSnapshotCommand({
        VolumeId: volumeId,
        Description: `Before deleting unattached volume ${volumeId} (messaging-workers housekeeping)`,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'housekeeping:source-volume', Value: volumeId }] }],
      }),
    );
    snapshotId = snapshot.SnapshotId ?? '';
    state = snapshot.State;
    await ec2.send(new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: SNAPSHOT_TAG, Value: snapshotId }] }));
  }
  if (state !== 'completed') return { deleted: false, snapshotId };
  await ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
  return { deleted: true, snapshotId };
}
