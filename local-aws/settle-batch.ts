import type { InvokeOutcome } from './invoke';

export type Settlement =
  | { kind: 'all-succeeded'; deleteIds: string[] }
  | { kind: 'partial'; deleteIds: string[]; failedIds: string[] }
  | { kind: 'batch-failed'; deleteIds: string[]; reason: string };

/**
 * Decides which records of an SQS batch Lambda deletes after the invocation, by the rules AWS
 * documents for `ReportBatchItemFailures`
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html):
 * - the function failed (error, timeout, runtime down): delete nothing;
 * - without ReportBatchItemFailures, success deletes everything;
 * - a null or empty response, or an empty or null `batchItemFailures`: complete success;
 * - `batchItemFailures` that is not a list, or an item whose `itemIdentifier` is missing, empty,
 *   not a string, or not a message of this batch: complete failure, delete nothing;
 * - otherwise delete every record except the reported ones.
 */
export function settleBatch(messageIds: readonly string[], outcome: InvokeOutcome, reportBatchItemFailures: boolean): Settlement {
  const all = (): Settlement => ({ kind: 'all-succeeded', deleteIds: [...messageIds] });
  const fail = (reason: string): Settlement => ({ kind: 'batch-failed', deleteIds: [], reason });
  if (!outcome.ok) return fail(outcome.reason);
  if (!reportBatchItemFailures) return all();
  const response = outcome.payload;
  if (response === null || response === undefined || response === '') return all();
  if (typeof response !== 'object' || Array.isArray(response)) return fail(`invalid response ${JSON.stringify(response).slice(0, 200)}`);
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return all();
  if (!Array.isArray(failures)) return fail('batchItemFailures is not a list');
  if (failures.length === 0) return all();
  const inBatch = new Set(messageIds);
  const failedIds = new Set<string>();
  for (const item of failures as unknown[]) {
    const id = typeof item === 'object' && item !== null ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return fail(`invalid itemIdentifier ${JSON.stringify(id)}`);
    if (!inBatch.has(id)) return fail(`itemIdentifier ${id} is not in the batch`);
    failedIds.add(id);
  }
  return { kind: 'partial', deleteIds: messageIds.filter((id) => !failedIds.has(id)), failedIds: [...failedIds] };
}
