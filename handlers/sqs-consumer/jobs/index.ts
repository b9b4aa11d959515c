import { z } from 'zod';
import { canaryJob } from './canary';
import type { JobContext } from './context';
import { copyObjectJob } from './copy-object';
import { publishNotificationJob } from './publish-notification';
import { scheduleInstancesJob } from './schedule-instances';

/**
 * The job registry. Adding a job type is one file exporting `{ type, schema, run }`, listed here.
 */
export const jobs = [copyObjectJob, scheduleInstancesJob, publishNotificationJob, canaryJob] as const;

export const JobSchema = z.discriminatedUnion(
  'type',
  jobs.map((job) => job.schema) as unknown as [(typeof jobs)[number]['schema'], ...(typeof jobs)[number]['schema'][]],
);
export type Job = z.infer<typeof JobSchema>;
export const jobTypes: readonly string[] = jobs.map((job) => job.type);

/** Runs a validated job with the function that owns its type. */
export async function runJob(job: Job, context: JobContext): Promise<unknown> {
  const definition = jobs.find((candidate) => candidate.type === job.type);
  if (!definition) throw new Error(`No job runs type ${job.type}`);
  return (definition.run as (job: Job, context: JobContext) => Promise<unknown>)(job, context);
}
