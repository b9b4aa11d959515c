import type { MessageInput } from './message';

export const MAX_BATCH_ENTRIES = 10;
/** SendMessageBatch's limit on the sum of its messages (bodies and attributes). */
export const MAX_BATCH_BYTES = 256 * 1024;

export function messageBytes(message: MessageInput): number {
  const attributes = Object.entries(message.attributes ?? {}).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength('String') + Buffer.byteLength(value),
    0,
  );
  return Buffer.byteLength(message.body) + attributes;
}

/** Splits messages into SendMessageBatch requests: at most 10 entries and 256 KiB each, in order. */
export function chunkForBatches<T extends { message: MessageInput }>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = messageBytes(item.message);
    if (current.length > 0 && (current.length === MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
