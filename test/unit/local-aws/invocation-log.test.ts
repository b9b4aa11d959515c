import { describeEvent, InvocationLog } from '../../../local-aws/invocation-log';

const sqsEvent = (ids: string[]) => ({
  Records: ids.map((id) => ({ messageId: id, body: `{"type":"canary","id":"${id}"}`, eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:work' })),
});

describe('describeEvent', () => {
  it('names the trigger and summarises SQS, S3 and SNS events', () => {
    expect(describeEvent(sqsEvent(['a', 'b']))).toEqual({ trigger: 'sqs', summary: '2 message(s) from work, first: {"type":"canary","id":"a"}' });
    expect(
      describeEvent({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'src' }, object: { key: 'my+file+%E4%B8%AD.txt' } } }] }),
    ).toEqual({ trigger: 's3', summary: 'ObjectCreated:Put s3://src/my file 中.txt' });
    expect(describeEvent({ Records: [{ EventSource: 'aws:sns', Sns: { TopicArn: 'arn:aws:sns:us-east-1:0:topic', Subject: 'hi', MessageId: 'm1' } }] })).toEqual({
      trigger: 'sns',
      summary: 'message m1 from topic (hi)',
    });
    expect(describeEvent({ action: 'start' })).toEqual({ trigger: 'other', summary: '{"action":"start"}' });
  });
});

describe('InvocationLog', () => {
  it('keeps the last N, newest first, with batchItemFailures and the event on demand', () => {
    const log = new InvocationLog(2);
    const added: number[] = [];
    log.on('added', (record) => added.push(record.id));
    const first = log.add({ functionName: 'consumer', event: sqsEvent(['a']), startedAt: 0, durationMs: 1, outcome: { ok: true, payload: { batchItemFailures: [] } } });
    const second = log.add({ functionName: 'consumer', event: sqsEvent(['b', 'c']), startedAt: 1, durationMs: 2, outcome: { ok: true, payload: { batchItemFailures: [{ itemIdentifier: 'c' }] } } });
    const third = log.add({ functionName: 'copier', event: { x: 1 }, startedAt: 2, durationMs: 3, outcome: { ok: false, reason: 'Unhandled: boom' } });
    expect(added).toEqual([first.id, second.id, third.id]);
    expect(log.list().map((r) => r.id)).toEqual([third.id, second.id]);
    expect(log.list('consumer')).toEqual([expect.objectContaining({ batchItemFailures: ['c'], ok: true, trigger: 'sqs' })]);
    expect(log.list('copier')[0]).toEqual(expect.objectContaining({ ok: false, error: 'Unhandled: boom', batchItemFailures: undefined }));
    expect(log.event(first.id)).toBeUndefined();
    expect(JSON.parse(log.event(second.id) ?? '')).toEqual(sqsEvent(['b', 'c']));
  });

  it('records the qualifier an invocation named (the alias), $LATEST when it named none, and lists by the function', () => {
    const log = new InvocationLog();
    log.add({ functionName: 'svc-worker:live', event: {}, startedAt: 0, durationMs: 1, outcome: { ok: true, payload: null } });
    log.add({ functionName: 'svc-worker', event: {}, startedAt: 1, durationMs: 1, outcome: { ok: true, payload: null } });

    expect(log.list('svc-worker').map((r) => [r.functionName, r.qualifier])).toEqual([
      ['svc-worker', '$LATEST'],
      ['svc-worker', 'live'],
    ]);
  });
});
