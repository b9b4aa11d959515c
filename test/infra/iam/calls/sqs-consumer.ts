import { copyingCalls, publishCalls, schedulingCalls } from './domain';
import type { CallTable } from './types';

/** sqsConsumer: its jobs (handlers/domain/jobs) copy objects, run the scheduler and publish notifications. */
export const sqsConsumerCalls: CallTable = (facts) => [...copyingCalls(facts), ...publishCalls(facts), ...schedulingCalls(facts)];
