import type { SNSClient } from '@aws-sdk/client-sns';
import type { NotificationDraft } from '../notifications/notification';
import { publishNotification } from '../notifications/publish';
import { PRICE_REGION, type VolumeSummary } from './plan';

/** What one volume's branch of the Map ended with. */
export type VolumeOutcome =
  | { volumeId: string; outcome: 'retired'; snapshotId: string }
  | { volumeId: string; outcome: 'would-retire' }
  | { volumeId: string; outcome: 'failed'; code: string; message: string };

/** The `{Error, Cause}` a Catch hands on; a Lambda task's Cause is its error as JSON. */
export interface CaughtError {
  Error: string;
  Cause?: string;
}

export function describeCaught(caught: CaughtError): { code: string; message: string } {
  try {
    const cause = JSON.parse(caught.Cause ?? '') as { errorMessage?: unknown };
    if (typeof cause.errorMessage === 'string') return { code: caught.Error, message: cause.errorMessage };
  } catch {
    // not JSON: a Step Functions error (States.Timeout, ...) whose cause is text
  }
  return { code: caught.Error, message: caught.Cause ?? '' };
}

const money = (usd: number) => `$${usd.toFixed(2)}`;
const brief = ({ volumeId, sizeGiB, volumeType, monthlyCostUsd }: VolumeSummary) => ({ volumeId, sizeGiB, volumeType, monthlyCostUsd });
const line = (v: VolumeSummary) => `${v.volumeId} ${v.sizeGiB} GiB ${v.volumeType}, created ${v.ageDays} d ago, ~${money(v.monthlyCostUsd)}/month`;

function section(heading: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [`${heading} (${lines.length}):`, ...lines.slice(0, 100).map((l) => `  ${l}`), ...(lines.length > 100 ? [`  ... and ${lines.length - 100} more`] : [])];
}

/** A volume deleted after its snapshot completed. */
export function retiredDraft(volume: VolumeSummary, snapshotId: string, execution: string): NotificationDraft {
  return { type: 'volumes-cleaned-up', id: `volume-retired-${execution}-${volume.volumeId}`, volumeIds: [volume.volumeId], freedGiB: volume.sizeGiB };
}

/** A volume whose retirement failed: kept, and said so (critical). */
export function failureDraft(volume: VolumeSummary, caught: CaughtError, dryRun: boolean, execution: string): NotificationDraft {
  const { code, message } = describeCaught(caught);
  return {
    type: 'volumes-report',
    id: `volume-retirement-failed-${execution}-${volume.volumeId}`,
    severity: 'critical',
    dryRun,
    title: `Volume retirement failed for ${volume.volumeId}: ${code} (kept)`.slice(0, 300),
    text: [`Retiring unattached volume ${volume.volumeId} failed; the volume is kept.`, `${code}: ${message}`, line(volume)].join('\n'),
    monthlyCostUsd: volume.monthlyCostUsd,
    unattached: [brief(volume)],
    deleted: [],
    failed: [{ volumeId: volume.volumeId, code }],
  };
}

/** The run's summary: what was found, retired, kept, failed (a dry run: what would be retired). */
export function reportDraft(
  run: { at: string; dryRun: boolean; ageLimitDays: number; candidates: VolumeSummary[]; kept: VolumeSummary[]; young: VolumeSummary[]; outcomes: VolumeOutcome[] },
  execution: string,
): NotificationDraft {
  const unattached = [...run.candidates, ...run.kept, ...run.young];
  const byId = new Map(unattached.map((v) => [v.volumeId, v]));
  const retired = run.outcomes.filter((o) => o.outcome === 'retired');
  const would = run.outcomes.filter((o) => o.outcome === 'would-retire');
  const failed = run.outcomes.filter((o) => o.outcome === 'failed');
  const monthlyCostUsd = Math.round(unattached.reduce((sum, v) => sum + v.monthlyCostUsd, 0) * 100) / 100;
  const dry = run.dryRun ? '[dry run] ' : '';
  const counts = [
    retired.length ? `retired ${retired.length}` : '',
    would.length ? `would retire ${would.length}` : '',
    run.kept.length ? `kept ${run.kept.length}` : '',
    failed.length ? `failed ${failed.length}` : '',
  ].filter(Boolean);
  const describe = (id: string) => {
    const volume = byId.get(id);
    return volume ? line(volume) : id;
  };
  return {
    type: 'volumes-report',
    id: `volume-retirement-${execution}`,
    severity: failed.length ? 'critical' : unattached.length ? 'warning' : 'info',
    dryRun: run.dryRun,
    title: `${dry}EBS volume retirement: ${unattached.length} unattached (~${money(monthlyCostUsd)}/month)${counts.length ? `, ${counts.join(', ')}` : ''}`.slice(0, 300),
    text: [
      `EBS volume retirement at ${run.at}${run.dryRun ? ' (dry run: nothing was changed)' : ''}: ${unattached.length} unattached volumes, about ${money(monthlyCostUsd)} a month (estimate: storage at list price per GiB-month by type, ${PRICE_REGION}); age limit ${run.ageLimitDays} d.`,
      ...section('Snapshotted, then deleted', retired.map((o) => `${describe(o.volumeId)} -> ${o.snapshotId}`)),
      ...section('Would snapshot, then delete', would.map((o) => describe(o.volumeId))),
      ...section('Kept (keep tag)', run.kept.map(line)),
      ...section('Younger than the age limit', run.young.map(line)),
      ...section('FAILED (kept)', failed.map((o) => `${o.volumeId}: ${o.code}: ${o.message}`)),
    ].join('\n'),
    monthlyCostUsd,
    unattached: unattached.map(brief),
    deleted: retired.map((o) => ({ volumeId: o.volumeId, snapshotId: o.snapshotId })),
    failed: failed.map((o) => ({ volumeId: o.volumeId, code: o.code })),
  };
}

/** Publishes through the notifications helper; throws when SNS refuses, so the state's Retry runs. */
export async function publishVolumeNotification(deps: { sns: SNSClient; topicArn: string }, draft: NotificationDraft): Promise<string> {
  const { notification } = await publishNotification(deps.sns, deps.topicArn, { source: 'volumeRetirement', ...draft });
  return notification.id;
}
