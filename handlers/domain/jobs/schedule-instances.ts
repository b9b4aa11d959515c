import { z } from 'zod';
import { defineJob } from './job';

/**
 * Start or stop the instances carrying the schedule tag now, as the scheduler would.
 * Idempotent: instances already in the wanted state are skipped.
 * The EC2 client and the scheduling code (with the EC2 SDK's commands) are imported when the job
 * runs, so other jobs' cold starts do not pay for them.
 */
export const scheduleInstancesJob = defineJob({
  type: 'schedule-instances',
  schema: z.object({ type: z.literal('schedule-instances'), action: z.enum(['start', 'stop']) }),
  async run(job, context) {
    const { ec2Client } = await import('../../platform/clients/ec2');
    const { runSchedule } = await import('../scheduling/run-schedule');
    const { changes } = await runSchedule(ec2Client, job.action, context.config.scheduleTag);
    return { changed: changes.map((change) => change.instanceId) };
  },
});
