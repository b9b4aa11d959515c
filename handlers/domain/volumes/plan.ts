import type { Volume } from '@aws-sdk/client-ec2';
import * as z from '../../platform/zod';
import { describeIssues } from '../../platform/errors';
import { InvalidRetirementInputError } from './errors';

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
const round2 = (value: number) => Math.round(value * 100) / 100;

/** What an execution is asked to do (its input), with the stage's defaults filled in. */
export interface RetirementSettings {
  dryRun: boolean;
  /** Volumes created at least this many days ago are retired; 0: every unattached volume. */
  ageLimitDays: number;
}

/**
 * The execution input: `{}`, `{"dryRun": true}`, `{"ageLimit": 30}`. Unknown fields are refused
 * (a typo such as `dryrun` must not turn a dry run into a real one).
 */
const InputSchema = z.strictObject({
  dryRun: z.optional(z.boolean()),
  ageLimit: z.optional(z.int().check(z.gte(0, 'must be a whole number of days, 0 or more'))),
});

/** Validates an execution input against the stage's defaults (the first state of the workflow). */
export function parseRetirementInput(input: unknown, defaults: RetirementSettings): RetirementSettings {
  const result = InputSchema.safeParse(input ?? {});
  if (!result.success) {
    const issues = describeIssues(result.error.issues);
    throw new InvalidRetirementInputError(`Invalid execution input (expected {"dryRun"?: boolean, "ageLimit"?: days >= 0}): ${issues.join('; ')}`, issues);
  }
  return { dryRun: result.data.dryRun ?? defaults.dryRun, ageLimitDays: result.data.ageLimit ?? defaults.ageLimitDays };
}

/** An unattached volume as the workflow passes it from state to state (small: Map items are in the execution's history). */
export interface VolumeSummary {
  volumeId: string;
  sizeGiB: number;
  volumeType: string;
  ageDays: number;
  monthlyCostUsd: number;
  /** Its own tags (not `aws:` ones), copied onto its snapshot. */
  tags: { Key: string; Value: string }[];
}

export interface RetirementPlan {
  /** Unattached, old enough, no keep tag: snapshot, then delete. */
  candidates: VolumeSummary[];
  /** Unattached with the keep tag: reported, never touched. */
  kept: VolumeSummary[];
  /** Unattached but younger than the age limit: reported, left for a later run. */
  young: VolumeSummary[];
}

export function summarize(volume: Volume, now: number): VolumeSummary {
  const sizeGiB = volume.Size ?? 0;
  const volumeType = volume.VolumeType ?? 'standard';
  return {
    volumeId: volume.VolumeId ?? '',
    sizeGiB,
    volumeType,
    ageDays: volume.CreateTime ? Math.max(0, Math.floor((now - volume.CreateTime.getTime()) / DAY)) : 0,
    monthlyCostUsd: round2(sizeGiB * (PRICE_PER_GIB_MONTH_USD[volumeType] ?? PRICE_PER_GIB_MONTH_USD.gp2 ?? 0)),
    tags: (volume.Tags ?? []).filter((tag) => tag.Key && !tag.Key.startsWith('aws:')).map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' })),
  };
}

export const isUnattached = (volume: Volume): boolean => Boolean(volume.VolumeId) && volume.State === 'available' && (volume.Attachments ?? []).length === 0;
export const hasTag = (volume: { Tags?: { Key?: string }[] }, key: string): boolean => (volume.Tags ?? []).some((tag) => tag.Key === key);

/** Pure: which unattached volumes to retire, keep, or leave for later. */
export function planRetirement(volumes: readonly Volume[], now: number, settings: RetirementSettings & { keepTagKey: string }): RetirementPlan {
  const plan: RetirementPlan = { candidates: [], kept: [], young: [] };
  for (const volume of volumes) {
    if (!isUnattached(volume)) continue;
    const summary = summarize(volume, now);
    if (hasTag(volume, settings.keepTagKey)) plan.kept.push(summary);
    else if (volume.CreateTime && now - volume.CreateTime.getTime() < settings.ageLimitDays * DAY) plan.young.push(summary);
    else plan.candidates.push(summary);
  }
  return plan;
}

/** Snapshot polling: the first wait, each next one doubled up to the cap, and the overall limit. */
export interface SnapshotWaitPolicy {
  firstWaitSeconds: number;
  maxWaitSeconds: number;
  timeoutSeconds: number;
}

/** Pure: the wait before the next DescribeSnapshots (exponential backoff, capped). */
export const nextWaitSeconds = (previous: number, policy: SnapshotWaitPolicy): number => Math.min(policy.maxWaitSeconds, Math.max(1, previous * 2));
