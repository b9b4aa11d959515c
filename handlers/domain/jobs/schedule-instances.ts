import * as z from '../../platform/zod';
import { checkSelectors, SchedulerRequestFields } from '../scheduling/request';
import { defineJob } from './job';

/**
 * Runs the EC2 scheduler now, as its rule would: `{"type":"schedule-instances","action":"reconcile"}`,
 * or an explicit `{"type":"schedule-instances","action":"stop","schedule":"office-hours"}` (a
 * schedule, tag or instanceIds selector is required). Idempotent: instances already in the wanted
 * state are left alone. The EC2 client and the scheduling code (with the EC2 SDK's commands) are
 * imported when the job runs, so other jobs' cold starts do not pay for them.
 */
export const scheduleInstancesJob = defineJob({
  type: 'schedule-instances',
  schema: z
    .object({
      type: z.literal('schedule-instances'),
      ...SchedulerRequestFields,
      action: z.enum(['reconcile', 'start', 'stop']),
    })
    .check(z.superRefine(checkSelectors)),
  async run(job, context) {
    const { ec2Client } = await import('../../platform/clients/ec2');
    const { handleSchedulerRequest } = await import('../scheduling/scheduler');
    const { action, schedule, tag, instanceIds, dryRun } = job;
    return handleSchedulerRequest(
      {
        ec2: ec2Client,
        sns: context.clients.sns,
        notificationsTopicArn: context.config.notificationsTopicArn,
        config: context.config.scheduler,
        scheduleTagKey: context.config.scheduleTagKey,
        now: () => new Date(),
      },
      { action, schedule, tag, instanceIds, dryRun },
    );
  },
});
