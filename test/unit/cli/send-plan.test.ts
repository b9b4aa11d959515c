import { JsonlError, MissingGroupIdError, UsageError } from '../../../cli/queue/errors';
import { planSend, type SendFlags } from '../../../cli/queue/send';
import { thrownBy } from '../support/errors';

const FIFO = 'messaging-workers-local-work.fifo';
const STANDARD = 'messaging-workers-local-work';
const flags = (extra: Partial<SendFlags>): SendFlags => ({ attribute: [], ...extra });
const files = (content: Record<string, string>) => (path: string) => {
  const text = content[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return text;
};

describe('planSend', () => {
  it('sends one message from --body with its attributes', () => {
    const plan = planSend(STANDARD, flags({ body: '{"a":1}', attribute: ['kind=job'], delay: '5' }));

    expect(plan).toEqual({ kind: 'one', message: { body: '{"a":1}', attributes: { kind: 'job' }, delay: 5, groupId: undefined, dedupId: undefined } });
  });

  it('sends the whole of --file as one body', () => {
    const plan = planSend(STANDARD, flags({ file: 'job.json' }), files({ 'job.json': '{\n  "a": 1\n}\n' }));

    expect(plan).toMatchObject({ kind: 'one', message: { body: '{\n  "a": 1\n}\n' } });
  });

  it('fails on a FIFO queue without --group-id, before anything is sent', () => {
    expect(thrownBy(() => planSend(FIFO, flags({ body: 'x' })))).toBeInstanceOf(MissingGroupIdError);
  });

  it.each([[{}], [{ body: 'x', file: 'f' }], [{ body: 'x', jsonl: 'f' }]])('needs exactly one of --body, --file and --jsonl (%p)', (sources) => {
    expect(() => planSend(STANDARD, flags(sources))).toThrow('send needs exactly one of --body, --file or --jsonl');
  });

  it('names a file it cannot read', () => {
    expect(() => planSend(STANDARD, flags({ file: 'missing.json' }), files({}))).toThrow(/cannot read missing.json/);
  });

  it('plans a JSONL file line by line', () => {
    const plan = planSend(FIFO, flags({ jsonl: 'jobs.jsonl', groupId: 'g' }), files({ 'jobs.jsonl': 'a\nb\n' }));

    expect(plan).toEqual({
      kind: 'jsonl',
      file: 'jobs.jsonl',
      messages: [
        { line: 1, message: { body: 'a', groupId: 'g', attributes: {}, delay: undefined } },
        { line: 2, message: { body: 'b', groupId: 'g', attributes: {}, delay: undefined } },
      ],
    });
  });

  it('refuses a JSONL file with bad lines as a whole, listing them', () => {
    const error = thrownBy(() => planSend(STANDARD, flags({ jsonl: 'jobs.jsonl' }), files({ 'jobs.jsonl': 'ok\n{"body":1,"groupId":2}\n{oops\n' })));

    expect(error).toBeInstanceOf(JsonlError);
    expect((error as JsonlError).problems.map((p) => p.line)).toEqual([2, 3]);
    expect((error as Error).message).toContain('line 3: not valid JSON');
  });

  it('refuses --dedup-id for a JSONL file, which would deduplicate every line into one', () => {
    expect(() => planSend(FIFO, flags({ jsonl: 'jobs.jsonl', groupId: 'g', dedupId: 'd' }), files({ 'jobs.jsonl': 'a\n' }))).toThrow(UsageError);
  });
});
