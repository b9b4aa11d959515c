import { allConcurrently, settleConcurrently } from '../../../handlers/platform/concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('settleConcurrently', () => {
  it('runs every item, at most `limit` at once, and reports each outcome in order', async () => {
    let inFlight = 0;
    let most = 0;

    const results = await settleConcurrently([1, 2, 3, 4, 5], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
      if (n === 2) throw new Error('two');
      return n * 10;
    });

    expect(most).toBe(2);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([10, 'two', 30, 40, 50]);
  });

  it('answers an empty list with an empty list', async () => {
    await expect(settleConcurrently([], 3, async () => 1)).resolves.toEqual([]);
  });
});

describe('allConcurrently', () => {
  it('starts nothing after the first failure and rejects once the running items have finished', async () => {
    const started: number[] = [];
    const finished: number[] = [];

    const run = allConcurrently([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await tick();
      finished.push(n);
      if (n === 1) throw new Error('one');
      return n;
    });

    await expect(run).rejects.toThrow('one');
    expect(started).toEqual([1, 2]);
    expect(finished.sort()).toEqual([1, 2]);
  });
});
