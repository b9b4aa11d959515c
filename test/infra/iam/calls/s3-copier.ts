import { copyingCalls, publishCalls } from './domain';
import type { CallTable } from './types';

/** s3Copier: copies each created object (handlers/domain/copying), announces copies and failures. */
export const s3CopierCalls: CallTable = (facts) => [...copyingCalls(facts), ...publishCalls(facts)];
