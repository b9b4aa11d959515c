import type * as z from '../../platform/zod';
import { canaryJob } from './canary';
import { copyObjectJob } from './copy-object';
import type { JobContext } from './job';
import { publishNotificationJob } from './publish-notification';
import { scheduleInstancesJob } from './schedule-instances';

/**
 * The job registry. Adding a job type is one file exporting `defineJob({ type, schema, run })`,
 * listed here. Each job's input type comes from its schema.
 */
const jobs = [copyObjectJob, scheduleInstancesJob, publishNotificationJob, canaryJob] as const;

/** Each job type's schema, by type (the consumer validates a message with its type's schema). */
export const jobSchemas = Object.fromEntries(jobs.map((job) => [job.type, job.schema])) as Record<string, (typeof jobs)[number]['schema']>;
type JobMap = { [J in (typeof jobs)[number] as J['type']]: z.output<J['schema']> };
export type JobType = keyof JobMap;
export type Job = JobMap[JobType];

type Runners = { [T in JobType]: (job: JobMap[T], context: JobContext) => Promise<unknown> };
const runners: Runners = {
  [copyObjectJob.type]: copyObjectJob.run,
  [scheduleInstancesJob.type]: scheduleInstancesJob.run,
  [publishNotificationJob.type]: publishNotificationJob.run,
  [canaryJob.type]: canaryJob.run,
};
export const jobTypes: readonly string[] = jobs.map((job) => job.type);

/** Runs a validated job with the function that owns its type (type and job go together). */
export function runJob<T extends JobType>(type: T, job: JobMap[T], context: JobContext): Promise<unknown> {
  return runners[type](job, context);
}
