import { preTrafficCalls } from './domain';
import type { CallTable } from './types';

/** preTrafficHook: CodeDeploy's BeforeAllowTraffic check of the releases that name it (handlers/domain/releases). */
export const preTrafficHookCalls: CallTable = (facts) => preTrafficCalls(facts);
