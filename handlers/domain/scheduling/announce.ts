import type { SNSClient } from '@aws-sdk/client-sns';
import type { NotificationDraft } from '../notifications/notification';
import { publishNotification } from '../notifications/publish';
import type { RunSummary } from './run-schedule';
import type { Target } from './schedule';

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

/** What a scheduler run announces: its summary, and one event per kind of change it made for real. */
export function runNotifications(summary: RunSummary): NotificationDraft[] {
  const { title, message, severity, details } = describeRun(summary);
  const ids = (targets: Target[]) => targets.map((target) => target.instanceId);
  const drafts: NotificationDraft[] = [
    {
      type: 'scheduler-run',
      severity,
      action: summary.action,
      dryRun: summary.dryRun,
      title,
      text: message,
      started: ids(summary.started),
      stopped: ids(summary.stopped),
      retained: ids(summary.retained),
      failed: details.failed as { instanceId: string; action: string; code: string }[],
      unknownSchedule: summary.unknownSchedule,
    },
  ];
  if (!summary.dryRun && summary.started.length > 0) drafts.push({ type: 'instances-started', instanceIds: ids(summary.started) });
  if (!summary.dryRun && summary.stopped.length > 0) drafts.push({ type: 'instances-stopped', instanceIds: ids(summary.stopped) });
  for (const action of ['start', 'stop'] as const) {
    const failed = summary.failed.filter((failure) => failure.action === action);
    if (failed.length > 0) {
      drafts.push({
        type: 'instances-failed',
        action,
        instanceIds: failed.map((failure) => failure.instanceId),
        reason: failed.map((failure) => `${failure.instanceId}: ${failure.code}: ${failure.message}`).join('; ').slice(0, 2000),
      });
    }
  }
  return drafts;
}

/**
 * Publishes the scheduler's notifications to the notifications topic through the notifications
 * publish helper (typed events, attributes for filter policies).
 */
export async function announce(sns: SNSClient, topicArn: string, drafts: NotificationDraft[]): Promise<void> {
  for (const draft of drafts) await publishNotification(sns, topicArn, { source: 'ec2Scheduler', ...draft });
}
