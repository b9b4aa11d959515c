import {
  CreateSnapshotCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type EC2Client,
  paginateDescribeVolumes,
  type Volume,
} from '@aws-sdk/client-ec2';
import { logger } from '../../platform/logger';
import { SnapshotFailedError, SnapshotTimeoutError, VolumeNoLongerRetirableError } from './errors';
import { hasTag, isUnattached, nextWaitSeconds, planRetirement, type RetirementSettings, type SnapshotWaitPolicy, type VolumeSummary } from './plan';

/** Tags of every snapshot the workflow takes: which volume it keeps, and which execution took it. */
export const SOURCE_VOLUME_TAG = 'retirement:source-volume';
export const EXECUTION_TAG = 'retirement:execution';
/** DescribeVolumes' largest page. */
export const VOLUME_PAGE_SIZE = 500;

export interface VolumeTasks {
  ec2: EC2Client;
  keepTagKey: string;
  waits: SnapshotWaitPolicy;
  now: () => Date;
}

export interface FoundVolumes extends RetirementSettings {
  at: string;
  candidates: VolumeSummary[];
  kept: VolumeSummary[];
  young: VolumeSummary[];
}

/** Where a volume's snapshot is: the Wait state waits `waitSeconds`, then the check runs again. */
export interface SnapshotProgress {
  snapshotId: string;
  state: string;
  /** When the workflow stops waiting and keeps the volume (ISO time). */
  deadline: string;
  waitSeconds: number;
  checks: number;
}

const isDryRunAnswer = (error: unknown) => error instanceof Error && error.name === 'DryRunOperation';
const isNotFound = (error: unknown) => error instanceof Error && error.name === 'InvalidVolume.NotFound';

/** Lists the unattached volumes and decides (findVolumes, the workflow's second state). */
export async function findVolumes(deps: VolumeTasks, settings: RetirementSettings): Promise<FoundVolumes> {
  const now = deps.now();
  const volumes: Volume[] = [];
  const pages = paginateDescribeVolumes({ client: deps.ec2, pageSize: VOLUME_PAGE_SIZE }, { Filters: [{ Name: 'status', Values: ['available'] }] });
  for await (const page of pages) volumes.push(...(page.Volumes ?? []));
  const plan = planRetirement(volumes, now.getTime(), { ...settings, keepTagKey: deps.keepTagKey });
  logger.info('Volumes found', { ...settings, candidates: plan.candidates.length, kept: plan.kept.length, young: plan.young.length });
  return { ...settings, at: now.toISOString(), ...plan };
}

/**
 * The volume as EC2 has it now, checked again before anything is done to it: since it was found it
 * may have been deleted, attached or given the keep tag (none of which is retried).
 */
async function stillRetirable(deps: VolumeTasks, volumeId: string): Promise<Volume> {
  const { Volumes = [] } = await deps.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })).catch((error: unknown) => {
    if (isNotFound(error)) throw new VolumeNoLongerRetirableError(volumeId, 'gone', { cause: error });
    throw error;
  });
  const volume = Volumes[0];
  if (!volume) throw new VolumeNoLongerRetirableError(volumeId, 'gone');
  if (!isUnattached(volume)) throw new VolumeNoLongerRetirableError(volumeId, 'attached');
  if (hasTag(volume, deps.keepTagKey)) throw new VolumeNoLongerRetirableError(volumeId, 'kept');
  return volume;
}

/**
 * Snapshots the volume, tagged with its own tags, the volume id and the execution, so the data
 * stays findable after the volume is gone. In a dry run EC2's DryRun answers both the snapshot and
 * the deletion (permissions checked, nothing created or deleted) and no snapshot id is returned.
 */
export async function snapshotVolume(
  deps: VolumeTasks,
  request: { volume: VolumeSummary; dryRun: boolean; execution: string },
): Promise<SnapshotProgress | { dryRun: true }> {
  const { volumeId } = request.volume;
  await stillRetirable(deps, volumeId);
  if (request.dryRun) {
    for (const command of [new CreateSnapshotCommand({ VolumeId: volumeId, DryRun: true }), new DeleteVolumeCommand({ VolumeId: volumeId, DryRun: true })]) {
      try {
        await deps.ec2.send(command as CreateSnapshotCommand);
      } catch (error) {
        if (!isDryRunAnswer(error)) throw error;
      }
    }
    logger.info('Volume would be retired (dry run)', { volumeId });
    return { dryRun: true };
  }
  const snapshot = await deps.ec2.send(
    new CreateSnapshotCommand({
      VolumeId: volumeId,
      Description: `Before deleting unattached volume ${volumeId} (messaging-workers volume retirement)`,
      TagSpecifications: [
        {
          ResourceType: 'snapshot',
          Tags: [...request.volume.tags, { Key: SOURCE_VOLUME_TAG, Value: volumeId }, { Key: EXECUTION_TAG, Value: request.execution }],
        },
      ],
    }),
  );
  const snapshotId = snapshot.SnapshotId ?? '';
  logger.info('Volume snapshot started', { volumeId, snapshotId, state: snapshot.State });
  return {
    snapshotId,
    state: snapshot.State ?? 'pending',
    deadline: new Date(deps.now().getTime() + deps.waits.timeoutSeconds * 1000).toISOString(),
    waitSeconds: deps.waits.firstWaitSeconds,
    checks: 0,
  };
}

/**
 * One poll of the snapshot (after the Wait state): completed, or still pending with the next,
 * longer wait; a failed or vanished snapshot, or one past the deadline, fails the volume's branch.
 */
export async function checkSnapshot(deps: VolumeTasks, request: { volume: VolumeSummary; snapshot: SnapshotProgress }): Promise<SnapshotProgress> {
  const { volumeId } = request.volume;
  const { snapshotId } = request.snapshot;
  const { Snapshots = [] } = await deps.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'InvalidSnapshot.NotFound') return { Snapshots: [] };
    throw error;
  });
  const state = Snapshots[0]?.State;
  if (state === undefined) throw new SnapshotFailedError(volumeId, snapshotId, 'no longer exists');
  if (state === 'error') throw new SnapshotFailedError(volumeId, snapshotId, `failed (${Snapshots[0]?.StateMessage ?? 'no message'})`);
  if (state !== 'completed' && deps.now().getTime() > Date.parse(request.snapshot.deadline)) throw new SnapshotTimeoutError(volumeId, snapshotId, request.snapshot.deadline);
  logger.info('Volume snapshot checked', { volumeId, snapshotId, state, checks: request.snapshot.checks + 1 });
  return { ...request.snapshot, state, waitSeconds: nextWaitSeconds(request.snapshot.waitSeconds, deps.waits), checks: request.snapshot.checks + 1 };
}

/** Deletes the volume once its snapshot has completed (checked again: it may have changed meanwhile). */
export async function deleteVolume(deps: VolumeTasks, request: { volume: VolumeSummary; snapshot: SnapshotProgress }): Promise<{ deletedAt: string }> {
  const { volumeId } = request.volume;
  if (request.snapshot.state !== 'completed') throw new SnapshotFailedError(volumeId, request.snapshot.snapshotId, `is ${request.snapshot.state}, not completed`);
  await stillRetirable(deps, volumeId);
  await deps.ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId })).catch((error: unknown) => {
    if (isNotFound(error)) throw new VolumeNoLongerRetirableError(volumeId, 'gone', { cause: error });
    throw error;
  });
  logger.info('Volume deleted', { volumeId, snapshotId: request.snapshot.snapshotId });
  return { deletedAt: deps.now().toISOString() };
}
