import { publishCalls, schedulingCalls } from './domain';
import type { CallTable } from './types';

/** ec2Scheduler: reconciles the scheduled instances and announces what it did. */
export const ec2SchedulerCalls: CallTable = (facts) => [...schedulingCalls(facts), ...publishCalls(facts)];
