import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SNSClient } from '@aws-sdk/client-sns';
import { SchedulerRunError } from './errors';
import type { SchedulerRequest } from './request';
import { isNoteworthy, runScheduler } from './run-schedule';
import type { SchedulerConfig } from './schedules';

export interface Scheduler {
  ec2: EC2Client;
  /** The client, or its loader: a run that announces nothing (most reconciles) never loads it. */
  sns: SNSClient | (() => Promise<SNSClient>);
  notificationsTopicArn: string;
  config: SchedulerConfig;
  scheduleTagKey: string;
  now: () => Date;
}

/** What a run returns to its caller (the full story goes to the notifications topic). */
export interface SchedulerResult {
  action: 'reconcile' | 'start' | 'stop';
  dryRun: boolean;
  started: string[];
  stopped: string[];
  retained: string[];
  failed: string[];
  unknownSchedule: string[];
  unchanged: number;
}

/**
 * Runs one request (reconcile, explicit start/stop), publishes its summary when it did or found
 * something, and fails (SchedulerRunError) when some instance could not be
 * acted on, after the summary went out: the failure then reaches the on-failure destination and the
 * alarm. Shared by the ec2Scheduler handler and the `schedule-instances` job.
 */
export async function handleSchedulerRequest(scheduler: Scheduler, request: SchedulerRequest): Promise<SchedulerResult> {
  const { notificationsTopicArn: topicArn } = scheduler;
  const sns = async () => (typeof scheduler.sns === 'function' ? scheduler.sns() : scheduler.sns);
  // The notifications (their schemas, the SNS client) are loaded by the first run that has
  // something to say: most reconciles change nothing and announce nothing.
  const notifications = () => import('./announce');
  const summary = await runScheduler(scheduler, request);
  if (isNoteworthy(summary)) {
    const { announce, runNotifications } = await notifications();
    await announce(await sns(), topicArn, runNotifications(summary));
  }
  if (summary.failed.length > 0) {
    throw new SchedulerRunError(
      `EC2 scheduler ${summary.action}: ${summary.failed.length} instances could not be acted on`,
      summary.failed.map((f) => ({ id: f.instanceId, code: f.code, message: `${f.action}: ${f.message}` })),
    );
  }
  const ids = (targets: { instanceId: string }[]) => targets.map((target) => target.instanceId);
  return {
    action: summary.action,
    dryRun: summary.dryRun,
    started: ids(summary.started),
    stopped: ids(summary.stopped),
    retained: ids(summary.retained),
    failed: [],
    unknownSchedule: ids(summary.unknownSchedule),
    unchanged: summary.unchanged,
  };
}
