import { publishCalls, schedulingCalls, volumeCalls } from './domain';
import type { CallTable } from './types';

/** ec2Scheduler: reconciles the scheduled instances, housekeeps unattached volumes, announces both. */
export const ec2SchedulerCalls: CallTable = (facts) => [...schedulingCalls(facts), ...volumeCalls(facts), ...publishCalls(facts)];
