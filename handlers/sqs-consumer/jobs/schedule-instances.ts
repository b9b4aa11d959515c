import { z } from 'zod';
import { runSchedule } from '../../ec2-scheduler/run-schedule';
import type { JobContext } from './context';

/**
 * Start or stop the instances carrying the schedule tag now, as the scheduler would.
 * Idempotent: instances already in the wanted state are skipped.
 */
export const scheduleInstancesJob = {
  type: 'schedule-instances',
  schema: z.object({ type: z.literal('schedule-instances'), action: z.enum(['start', 'stop']) }),
  async run(job: { action: 'start' | 'stop' }, context: JobContext) {
    const { changes } = await runSchedule(context.clients.ec2, job.action, context.config.scheduleTag);
    return { changed: changes.map((change) => change.instanceId) };
  },
} as const;
