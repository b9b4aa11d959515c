import type { SQSRecord } from 'aws-lambda';
import { describeIssues, WorkerError } from '../platform/errors';
import { type Job, jobSchemas, jobTypes } from '../domain/jobs';
import * as z from '../platform/zod';

/** Base of the per-record errors: the record is that record's failure, never the batch's. */
export abstract class RecordError extends WorkerError {
  constructor(
    message: string,
    readonly messageId: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}
/** The body (or the SNS envelope's Message) is not JSON, or the envelope is broken. */
export class MalformedMessageError extends RecordError {
  override readonly name = 'MalformedMessageError';
}
/** The message names a job type no function runs. */
export class UnknownJobTypeError extends RecordError {
  override readonly name = 'UnknownJobTypeError';
}
/** The message is JSON but not a valid job: not an object, or fields that do not match its type's schema. */
export class InvalidJobError extends RecordError {
  override readonly name = 'InvalidJobError';
}

const SnsEnvelopeSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string().check(z.minLength(1)),
  TopicArn: z.string().check(z.minLength(1)),
  Message: z.string(),
});

/** Each job type's schema, compiled once the type is warm (the consumer parses every record). */
const schemaOfType = new Map(Object.entries(jobSchemas).map(([type, schema]) => [type, z.compiledWhenWarm(schema)]));

export interface ParsedRecord {
  job: Job;
  /** How the message arrived. */
  via: 'sqs' | 'sns';
}

function parseJson(text: string, messageId: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedMessageError(`${what} is not JSON: ${(error as Error).message}`, messageId);
  }
}

/**
 * Turns an SQS record into a validated job. Messages arrive sent directly, through the SNS topic's
 * subscription in the SNS envelope (unwrapped here), or through a raw-delivery subscription (same
 * as direct).
 */
export function parseRecord(record: Pick<SQSRecord, 'messageId' | 'body'>): ParsedRecord {
  const { messageId } = record;
  let payload = parseJson(record.body, messageId, 'Message body');
  let via: ParsedRecord['via'] = 'sqs';
  // Jobs use a lowercase `type`; SNS envelopes a capitalised `Type`.
  if (payload !== null && typeof payload === 'object' && 'Type' in payload) {
    const envelope = SnsEnvelopeSchema.safeParse(payload);
    if (!envelope.success) {
      throw new MalformedMessageError('Broken SNS envelope', messageId, describeIssues(envelope.error.issues));
    }
    payload = parseJson(envelope.data.Message, messageId, 'SNS Message');
    via = 'sns';
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new InvalidJobError('A job must be a JSON object with a "type"', messageId);
  }
  const type = (payload as { type?: unknown }).type;
  const schema = typeof type === 'string' ? schemaOfType.get(type) : undefined;
  if (typeof type !== 'string' || !schema) {
    throw new UnknownJobTypeError(
      `Unknown job type ${JSON.stringify(type)}; known types: ${jobTypes.join(', ')}`,
      messageId,
    );
  }
  const job = schema().safeParse(payload);
  if (!job.success) {
    throw new InvalidJobError(`Invalid ${type} job`, messageId, describeIssues(job.error.issues));
  }
  return { job: job.data as Job, via };
}
