import type { InvokeOutcome } from '../../../local-aws/invoke';
import { settleBatch } from '../../../local-aws/settle-batch';

const batch = ['m-1', 'm-2', 'm-3'];
const returned = (payload: unknown): InvokeOutcome => ({ ok: true, payload });
const reporting = true;

describe('settleBatch when the invocation failed', () => {
  it('deletes nothing and gives the reason', () => {
    const outcome: InvokeOutcome = { ok: false, reason: 'Unhandled: Task timed out after 1.00 seconds' };

    const settlement = settleBatch(batch, outcome, reporting);

    expect(settlement).toEqual({ kind: 'batch-failed', deleteIds: [], reason: 'Unhandled: Task timed out after 1.00 seconds' });
  });

  it('deletes nothing even without ReportBatchItemFailures', () => {
    const outcome: InvokeOutcome = { ok: false, reason: 'invoke failed: connect ECONNREFUSED 127.0.0.1:3012' };

    const settlement = settleBatch(batch, outcome, false);

    expect(settlement.deleteIds).toEqual([]);
  });
});

describe('settleBatch without ReportBatchItemFailures', () => {
  it('deletes every record of a successful invocation, whatever it returned', () => {
    const outcome = returned({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });

    const settlement = settleBatch(batch, outcome, false);

    expect(settlement).toEqual({ kind: 'all-succeeded', deleteIds: batch });
  });
});

describe('settleBatch treats as complete success', () => {
  it.each([
    ['a null response', null],
    ['no response', undefined],
    ['an empty string response', ''],
    ['an empty object', {}],
    ['a null batchItemFailures', { batchItemFailures: null }],
    ['an empty batchItemFailures', { batchItemFailures: [] }],
  ])('%s', (_case, payload) => {
    const outcome = returned(payload);

    const settlement = settleBatch(batch, outcome, reporting);

    expect(settlement).toEqual({ kind: 'all-succeeded', deleteIds: batch });
  });
});

describe('settleBatch treats as complete failure, deleting nothing', () => {
  it.each([
    ['a batchItemFailures that is not a list', { batchItemFailures: { itemIdentifier: 'm-1' } }],
    ['a batchItemFailures that is a string', { batchItemFailures: 'm-1' }],
    ['an item with an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['an item without itemIdentifier', { batchItemFailures: [{ messageId: 'm-1' }] }],
    ['an item with a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['an item whose itemIdentifier is not a string', { batchItemFailures: [{ itemIdentifier: 1 }] }],
    ['an item that is not an object', { batchItemFailures: ['m-1'] }],
    ['an itemIdentifier that is not in the batch', { batchItemFailures: [{ itemIdentifier: 'm-9' }] }],
    ['one bad item among good ones', { batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-9' }] }],
    ['a response that is a list', [{ itemIdentifier: 'm-1' }]],
    ['a response that is text', 'done'],
  ])('%s', (_case, payload) => {
    const outcome = returned(payload);

    const settlement = settleBatch(batch, outcome, reporting);

    expect(settlement).toMatchObject({ kind: 'batch-failed', deleteIds: [] });
  });

  it('calls an empty itemIdentifier invalid, not missing from the batch', () => {
    const outcome = returned({ batchItemFailures: [{ itemIdentifier: '' }] });

    const settlement = settleBatch(batch, outcome, reporting);

    expect(settlement).toEqual({ kind: 'batch-failed', deleteIds: [], reason: 'invalid itemIdentifier ""' });
  });

  it('says which itemIdentifier is not in the batch', () => {
    const outcome = returned({ batchItemFailures: [{ itemIdentifier: 'm-9' }] });

    const settlement = settleBatch(batch, outcome, reporting);

    expect(settlement).toEqual({ kind: 'batch-failed', deleteIds: [], reason: 'itemIdentifier m-9 is not in the batch' });
  });
});

describe('settleBatch with reported failures', () => {
  it('deletes the other records and keeps the reported ones', () => {
    const outcome = returned({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });

    const settlement = settleBatch(batch, outcome, reporting);

    expect(settlement).toEqual({ kind: 'partial', deleteIds: ['m-1', 'm-3'], failedIds: ['m-2'] });
  });

  it('deletes nothing when every record is reported', () => {
    const outcome = returned({ batchItemFailures: batch.map((itemIdentifier) => ({ itemIdentifier })) });

    const settlement = settleBatch(batch, outcome, reporting);

    expect(settlement).toEqual({ kind: 'partial', deleteIds: [], failedIds: batch });
  });

  it('counts a record reported twice once', () => {
    const outcome = returned({ batchItemFailures: [{ itemIdentifier: 'm-3' }, { itemIdentifier: 'm-3' }] });

    const settlement = settleBatch(batch, outcome, reporting);

    expect(settlement).toEqual({ kind: 'partial', deleteIds: ['m-1', 'm-2'], failedIds: ['m-3'] });
  });
});
