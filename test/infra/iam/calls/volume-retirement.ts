import { publishCalls, volumeCalls } from './domain';
import type { CallTable } from './types';

/** volumeRetirement: the retire-volumes state machine's tasks (handlers/domain/volumes), and their announcements. */
export const volumeRetirementCalls: CallTable = (facts) => [...volumeCalls(facts), ...publishCalls(facts)];
