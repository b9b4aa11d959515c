import type { SNSClient } from '@aws-sdk/client-sns';
import { publishNotification } from '../notifications/publish';
import type { RunSummary } from './run-schedule';
import type { Target } from './schedule';
import type { VolumeReport } from './volumes';

/** What the scheduler tells the notifications topic. */
export interface Announcement {
  title: string;
  message: string;
  severity: 'info' | 'warning' | 'critical';
  details: Record<string, unknown>;
}

/** Lines listed per section; the rest is counted (details carry every id). */
const MAX_LINES = 100;

function section(heading: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, MAX_LINES).map((line) => `  ${line}`);
  if (lines.length > MAX_LINES) shown.push(`  ... and ${lines.length - MAX_LINES} more`);
  return [`${heading} (${lines.length}):`, ...shown];
}

const targetLine = (target: Target) => `${target.instanceId} [${target.schedule ?? '-'}] ${target.reason}${target.hibernate ? ' (hibernated)' : ''}`;

/** The announcement of a scheduler run: counts in the title, every instance and reason in the message. */
export function describeRun(summary: RunSummary): Announcement {
  const dry = summary.dryRun ? '[dry run] ' : '';
  const would = summary.dryRun ? 'would ' : '';
  const counts = [
    summary.started.length ? `${would}start ${summary.started.length}` : '',
    summary.stopped.length ? `${would}stop ${summary.stopped.length}` : '',
    summary.retained.length ? `retained ${summary.retained.length}` : '',
    summary.failed.length ? `failed ${summary.failed.length}` : '',
    summary.unknownSchedule.length ? `unknown schedule ${summary.unknownSchedule.length}` : '',
  ].filter(Boolean);
  const message = [
    `EC2 scheduler ${summary.action} run at ${summary.at}${summary.dryRun ? ' (dry run: nothing was changed)' : ''}; ${summary.selected} instances selected, ${summary.unchanged} left as they were.`,
    ...section(summary.dryRun ? 'Would start' : 'Started', summary.started.map(targetLine)),
    ...section(summary.dryRun ? 'Would stop' : 'Stopped', summary.stopped.map(targetLine)),
    ...section('Retained (running when the period began)', summary.retained.map(targetLine)),
    ...section('FAILED', summary.failed.map((f) => `${f.instanceId} ${f.action}: ${f.code}: ${f.message}`)),
    ...section('Schedule tag names no configured schedule', summary.unknownSchedule.map((u) => `${u.instanceId}: "${u.schedule ?? ''}"`)),
  ].join('\n');
  return {
    title: `${dry}EC2 scheduler ${summary.action}: ${counts.join(', ') || 'nothing to do'}`,
    message,
    severity: summary.failed.length ? 'critical' : summary.unknownSchedule.length ? 'warning' : 'info',
    details: {
      action: summary.action,
      dryRun: summary.dryRun,
      at: summary.at,
      started: summary.started.map((t) => t.instanceId),
      stopped: summary.stopped.map((t) => t.instanceId),
      retained: summary.retained.map((t) => t.instanceId),
      failed: summary.failed.map(({ instanceId, action, code }) => ({ instanceId, action, code })),
      unknownSchedule: summary.unknownSchedule,
    },
  };
}

const money = (usd: number) => `$${usd.toFixed(2)}`;

/** The announcement of a volume housekeeping run. */
export function describeVolumeReport(report: VolumeReport): Announcement {
  const dry = report.dryRun ? '[dry run] ' : '';
  const would = report.dryRun ? 'would ' : '';
  const lines = report.unattached.map(
    (v) =>
      `${v.volumeId} ${v.sizeGiB} GiB ${v.volumeType}, created ${v.ageDays} d ago, unattached for at least ${v.unattachedDays} d, ~${money(v.monthlyCostUsd)}/month${v.kept ? ', kept (keep tag)' : ''}`,
  );
  const message = [
    `EBS housekeeping at ${report.at}: ${report.unattached.length} unattached volumes, ${report.totalGiB} GiB, about ${money(report.monthlyCostUsd)} a month (estimate: storage at list price per GiB-month by type, ${report.priceRegion}; IOPS, throughput and snapshots not included).`,
    ...section('Unattached', lines),
    ...section(`${report.dryRun ? 'Would snapshot and delete' : 'Snapshotted and deleted'}`, report.deleted.map((d) => `${d.volumeId} -> ${d.snapshotId ?? '(snapshot)'}`)),
    ...section('FAILED', report.failed.map((f) => `${f.volumeId}: ${f.code}: ${f.message}`)),
  ].join('\n');
  return {
    title: `${dry}EBS housekeeping: ${report.unattached.length} unattached volumes (~${money(report.monthlyCostUsd)}/month)${report.deleted.length ? `, ${would}delete ${report.deleted.length}` : ''}${report.failed.length ? `, failed ${report.failed.length}` : ''}`,
    message,
    severity: report.failed.length ? 'critical' : report.unattached.length ? 'warning' : 'info',
    details: {
      at: report.at,
      dryRun: report.dryRun,
      monthlyCostUsd: report.monthlyCostUsd,
      unattached: report.unattached.map(({ volumeId, sizeGiB, volumeType, monthlyCostUsd }) => ({ volumeId, sizeGiB, volumeType, monthlyCostUsd })),
      deleted: report.deleted,
      failed: report.failed.map(({ volumeId, code }) => ({ volumeId, code })),
    },
  };
}

/**
 * Publishes an announcement to the notifications topic: the scheduler's one call into the
 * notifications publish helper.
 */
export async function announce(sns: SNSClient, topicArn: string, announcement: Announcement): Promise<void> {
  await publishNotification(sns, topicArn, { ...announcement, source: 'ec2Scheduler' });
}
