import { parseJsonl } from '../../../cli/queue/jsonl';

const STANDARD = 'messaging-workers-local-work';
const FIFO = 'messaging-workers-local-work.fifo';

describe('parseJsonl', () => {
  it('takes a line that is not an envelope as the body itself, JSON or text', () => {
    const { messages, problems } = parseJsonl('{"type":"canary","id":"a"}\nplain text\n', STANDARD);

    expect(problems).toEqual([]);
    expect(messages).toEqual([
      { line: 1, message: { body: '{"type":"canary","id":"a"}' } },
      { line: 2, message: { body: 'plain text' } },
    ]);
  });

  it('reads body, groupId, dedupId, attributes and delay from an envelope line', () => {
    const text = '{"body":{"type":"canary"},"groupId":"g1","dedupId":"d1","attributes":{"kind":"job","n":2}}';

    const { messages } = parseJsonl(text, FIFO);

    expect(messages).toEqual([
      { line: 1, message: { body: '{"type":"canary"}', groupId: 'g1', dedupId: 'd1', attributes: { kind: 'job', n: '2' }, delay: undefined } },
    ]);
  });

  it('keeps a string body as it is', () => {
    const { messages } = parseJsonl('{"body":"hello","delay":5}', STANDARD);

    expect(messages[0]?.message).toMatchObject({ body: 'hello', delay: 5 });
  });

  it('sends a job document with a body field and other fields whole', () => {
    const line = '{"type":"render","body":"<p>hi</p>","to":"ops"}';

    const { messages } = parseJsonl(line, STANDARD);

    expect(messages[0]?.message.body).toBe(line);
  });

  it('counts blank lines in the line numbers without sending them', () => {
    const { messages } = parseJsonl('a\n\n  \nb\r\n', STANDARD);

    expect(messages.map(({ line, message }) => [line, message.body])).toEqual([
      [1, 'a'],
      [4, 'b'],
    ]);
  });

  it('reports every bad line with its number', () => {
    const text = ['{"body":"ok"}', '{"body":"x","groupId":5}', '{broken', '{"body":"x","delay":1.5}', '{"body":"x","attributes":{"a":{"b":1}}}', '{"body":null}'].join('\n');

    const { messages, problems } = parseJsonl(text, STANDARD);

    expect(messages.map((m) => m.line)).toEqual([1]);
    expect(problems).toEqual([
      { line: 2, reason: 'groupId must be a string' },
      { line: 3, reason: 'not valid JSON' },
      { line: 4, reason: 'delay must be a whole number of seconds' },
      { line: 5, reason: 'attribute a must be a string, number or boolean' },
      { line: 6, reason: 'body must not be null' },
    ]);
  });

  it('requires a group id on each line of a FIFO queue unless --group-id gives one', () => {
    const text = '{"body":"a","groupId":"g1"}\n{"body":"b"}';

    expect(parseJsonl(text, FIFO).problems).toEqual([{ line: 2, reason: `FIFO queue ${FIFO} needs a groupId on the line or --group-id` }]);
    expect(parseJsonl(text, FIFO, { groupId: 'default' }).messages.map((m) => m.message.groupId)).toEqual(['g1', 'default']);
  });

  it('merges the flag attributes under the line attributes, the line winning', () => {
    const { messages } = parseJsonl('{"body":"a","attributes":{"kind":"line"}}\nplain', STANDARD, { attributes: { kind: 'flag', src: 'cli' } });

    expect(messages.map((m) => m.message.attributes)).toEqual([
      { kind: 'line', src: 'cli' },
      { kind: 'flag', src: 'cli' },
    ]);
  });
});
