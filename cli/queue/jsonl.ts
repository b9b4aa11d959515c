import { type LineProblem, MissingGroupIdError } from './errors';
import { checkMessage, type MessageInput } from './message';

export interface JsonlMessage {
  /** 1-based line of the file. */
  line: number;
  message: MessageInput;
}

export interface ParsedJsonl {
  messages: JsonlMessage[];
  problems: LineProblem[];
}

/** What the flags give every line that does not say otherwise. */
export interface JsonlDefaults {
  groupId?: string;
  attributes?: Record<string, string>;
  delay?: number;
}

const ENVELOPE_KEYS = new Set(['body', 'groupId', 'dedupId', 'attributes', 'delay']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A line is an envelope when it is a JSON object with a `body` key and no keys but body, groupId,
 * dedupId, attributes and delay; any other line (a job document, plain text) is itself the body.
 */
function fromLine(text: string, defaults: JsonlDefaults): MessageInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A line that opens like JSON and does not parse is a broken record, not a text message.
    if (/^\s*[{[]/.test(text)) throw new Error('not valid JSON');
    return { ...defaults, body: text };
  }
  if (!isObject(value) || !('body' in value) || !Object.keys(value).every((key) => ENVELOPE_KEYS.has(key))) {
    return { ...defaults, body: text };
  }
  const { body, groupId, dedupId, attributes, delay } = value;
  if (body === null || body === undefined) throw new Error('body must not be null');
  if (groupId !== undefined && typeof groupId !== 'string') throw new Error('groupId must be a string');
  if (dedupId !== undefined && typeof dedupId !== 'string') throw new Error('dedupId must be a string');
  if (delay !== undefined && !Number.isInteger(delay)) throw new Error('delay must be a whole number of seconds');
  if (attributes !== undefined) {
    if (!isObject(attributes)) throw new Error('attributes must be an object of name: value');
    for (const [name, attribute] of Object.entries(attributes)) {
      if (typeof attribute !== 'string' && typeof attribute !== 'number' && typeof attribute !== 'boolean') {
        throw new Error(`attribute ${name} must be a string, number or boolean`);
      }
    }
  }
  const lineAttributes = attributes === undefined ? {} : Object.fromEntries(Object.entries(attributes).map(([name, v]) => [name, String(v)]));
  const merged = { ...defaults.attributes, ...lineAttributes };
  return {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    groupId: (groupId as string | undefined) ?? defaults.groupId,
    dedupId: dedupId as string | undefined,
    attributes: Object.keys(merged).length > 0 ? merged : undefined,
    delay: (delay as number | undefined) ?? defaults.delay,
  };
}

/**
 * One message per non-blank line of a JSONL file, each checked against the queue (a FIFO queue
 * needs a group id on every line or from --group-id); every bad line is reported with its number.
 */
export function parseJsonl(text: string, queueName: string, defaults: JsonlDefaults = {}): ParsedJsonl {
  const messages: JsonlMessage[] = [];
  const problems: LineProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') return;
    try {
      const message = fromLine(content, defaults);
      checkMessage(queueName, message);
      messages.push({ line, message });
    } catch (error) {
      const reason = error instanceof MissingGroupIdError ? `FIFO queue ${queueName} needs a groupId on the line or --group-id` : (error as Error).message;
      problems.push({ line, reason });
    }
  });
  return { messages, problems };
}
