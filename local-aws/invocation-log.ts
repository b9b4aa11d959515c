import { EventEmitter } from 'node:events';

/** What started an invocation the local AWS made. */
export type TriggerKind = 'sqs' | 's3' | 'sns' | 'console' | 'other';

export interface InvocationRecord {
  id: number;
  /** The function, unqualified. */
  functionName: string;
  /** What the invocation was qualified with (`live`, a version number), or `$LATEST`. */
  qualifier: string;
  trigger: TriggerKind;
  /** One line about the event: the queue and record count, the bucket and key, the topic. */
  summary: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  /** The function's result (ok) or the failure reason. */
  result: unknown;
  error?: string;
  /** The item identifiers an SQS consumer reported as failed, when it reported any. */
  batchItemFailures?: string[];
  /** Size of the event as JSON (as sent to the function), in bytes. */
  eventBytes: number;
}

/** Events larger than this are kept cut short (the summary and result stay whole). */
const MAX_EVENT_CHARS = 256 * 1024;

const lastOf = (arn: unknown) => (typeof arn === 'string' ? (arn.split(':').pop() ?? arn) : '');

/** The trigger and a one-line summary of an event, from its shape. */
export function describeEvent(event: unknown): { trigger: TriggerKind; summary: string } {
  const records = (event as { Records?: Record<string, unknown>[] } | null)?.Records;
  const first = Array.isArray(records) ? records[0] : undefined;
  if (first?.eventSource === 'aws:sqs') {
    const body = String(first.body ?? '');
    const preview = body.length > 60 ? `${body.slice(0, 57)}...` : body;
    return { trigger: 'sqs', summary: `${records?.length} message(s) from ${lastOf(first.eventSourceARN)}, first: ${preview}` };
  }
  if (first?.eventSource === 'aws:s3') {
    const s3 = first.s3 as { bucket?: { name?: string }; object?: { key?: string } } | undefined;
    return { trigger: 's3', summary: `${String(first.eventName)} s3://${s3?.bucket?.name ?? ''}/${decodeURIComponent((s3?.object?.key ?? '').replace(/\+/g, ' '))}` };
  }
  if (first?.EventSource === 'aws:sns') {
    const sns = first.Sns as { TopicArn?: string; Subject?: string | null; MessageId?: string } | undefined;
    return { trigger: 'sns', summary: `message ${sns?.MessageId ?? ''} from ${lastOf(sns?.TopicArn)}${sns?.Subject ? ` (${sns.Subject})` : ''}` };
  }
  const text = JSON.stringify(event) ?? 'undefined';
  return { trigger: 'other', summary: text.length > 120 ? `${text.slice(0, 117)}...` : text };
}

function batchItemFailures(payload: unknown): string[] | undefined {
  const failures = (payload as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (!Array.isArray(failures)) return undefined;
  return failures.map((item) => String((item as { itemIdentifier?: unknown } | null)?.itemIdentifier ?? ''));
}

/**
 * The last invocations the local AWS made (SQS pollers, S3 notifications, SNS subscriptions, the
 * console), newest first, with their events kept apart to be fetched on demand. Emits `added`
 * with each new record.
 */
export class InvocationLog extends EventEmitter<{ added: [InvocationRecord] }> {
  private readonly records: InvocationRecord[] = [];
  private readonly events = new Map<number, string>();
  private nextId = 1;

  constructor(readonly capacity = 200) {
    super();
  }

  /**
   * Records an invocation. `eventJson` is the event as already serialised for the invocation, if
   * at hand: kept as it is, it is laid out for reading only when the console asks for it.
   */
  add(input: {
    /** As invoked: `<name>` or `<name>:<qualifier>`. */
    functionName: string;
    event: unknown;
    eventJson?: string;
    trigger?: TriggerKind;
    startedAt: number;
    durationMs: number;
    outcome: { ok: true; payload: unknown } | { ok: false; reason: string };
  }): InvocationRecord {
    const described = describeEvent(input.event);
    const eventText = input.eventJson ?? JSON.stringify(input.event) ?? 'null';
    const [functionName = input.functionName, qualifier = '$LATEST'] = input.functionName.split(':');
    const record: InvocationRecord = {
      id: this.nextId++,
      functionName,
      qualifier,
      trigger: input.trigger ?? described.trigger,
      summary: described.summary,
      startedAt: new Date(input.startedAt).toISOString(),
      durationMs: input.durationMs,
      ok: input.outcome.ok,
      result: input.outcome.ok ? input.outcome.payload : undefined,
      error: input.outcome.ok ? undefined : input.outcome.reason,
      batchItemFailures: input.outcome.ok ? batchItemFailures(input.outcome.payload) : undefined,
      eventBytes: Buffer.byteLength(eventText),
    };
    this.records.unshift(record);
    this.events.set(record.id, eventText.length > MAX_EVENT_CHARS ? `${eventText.slice(0, MAX_EVENT_CHARS)}\n... (cut at ${MAX_EVENT_CHARS} characters)` : eventText);
    for (const dropped of this.records.splice(this.capacity)) this.events.delete(dropped.id);
    this.emit('added', record);
    return record;
  }

  /** Newest first; only those of `functionName` when given. */
  list(functionName?: string): InvocationRecord[] {
    return functionName ? this.records.filter((record) => record.functionName === functionName) : [...this.records];
  }

  /** The event of an invocation, indented for reading (or cut short, as kept). */
  event(id: number): string | undefined {
    const text = this.events.get(id);
    if (text === undefined) return undefined;
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  }
}

/** The invocations of this process's local AWS (one per process). */
export const invocationLog = new InvocationLog();
