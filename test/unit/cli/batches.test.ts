import { chunkForBatches, MAX_BATCH_BYTES } from '../../../cli/queue/batches';

const items = (count: number, bodyBytes = 10) => Array.from({ length: count }, (_, i) => ({ line: i + 1, message: { body: 'x'.repeat(bodyBytes) } }));

describe('chunkForBatches', () => {
  it('makes batches of at most 10, in order', () => {
    const batches = chunkForBatches(items(23));

    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map((item) => item.line)).toEqual(items(23).map((item) => item.line));
  });

  it('starts a new batch before the 256 KiB request limit', () => {
    const batches = chunkForBatches(items(4, 100 * 1024));

    expect(batches.map((batch) => batch.length)).toEqual([2, 2]);
  });

  it('sends a message over the batch limit alone and lets SQS judge it', () => {
    const batches = chunkForBatches([...items(1), { line: 2, message: { body: 'x'.repeat(MAX_BATCH_BYTES + 1) } }, ...items(1)]);

    expect(batches.map((batch) => batch.length)).toEqual([1, 1, 1]);
  });
});
