import { describeIssues, InvalidEventError } from '../platform/errors';
import * as z from '../platform/zod';

/**
 * S3 event notifications carry object keys URL-encoded the way HTML forms are: a space arrives as
 * `+` and non-ASCII letters as percent-escaped UTF-8 (`my file 中.txt` -> `my+file+%E4%B8%AD.txt`).
 * Using the raw key gives 404; this returns the key as stored.
 */
export function decodeS3EventKey(encodedKey: string): string {
  return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
}

/**
 * An S3 event notification record, field for field as Powertools' parser schema (S3Schema's
 * record) checks it, written with zod/mini: that schema is built on zod's classic API, whose
 * loading alone cost ~25 ms of the copier's cold start (bench/profiles/cold-start.txt).
 */
const S3Identity = z.object({ principalId: z.string() });
const S3RecordSchema = z.object({
  eventVersion: z.string(),
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string(),
  eventTime: z.iso.datetime(),
  eventName: z.string(),
  userIdentity: S3Identity,
  // Any address S3 reports (IPv4, IPv6 over the dual-stack endpoints, a service name): the copier does not use it.
  requestParameters: z.object({ sourceIPAddress: z.string() }),
  responseElements: z.object({ 'x-amz-request-id': z.string(), 'x-amz-id-2': z.string() }),
  s3: z.object({
    s3SchemaVersion: z.string(),
    configurationId: z.string(),
    object: z.object({
      key: z.string(),
      size: z.optional(z.number()),
      urlDecodedKey: z.optional(z.string()),
      eTag: z.optional(z.string()),
      sequencer: z.optional(z.string()),
      versionId: z.optional(z.string()),
    }),
    bucket: z.object({ name: z.string(), ownerIdentity: S3Identity, arn: z.string() }),
  }),
  glacierEventData: z.optional(
    z.object({ restoreEventData: z.object({ lifecycleRestorationExpiryTime: z.string(), lifecycleRestoreStorageClass: z.string() }) }),
  ),
});
export const S3Schema = z.object({ Records: z.array(S3RecordSchema).check(z.minLength(1)) });
export type S3Event = z.infer<typeof S3Schema>;

export interface CreatedObject {
  bucket: string;
  /** Decoded key, as stored. */
  key: string;
  versionId?: string;
  eventName: string;
  /** Orders the events of one key; with the key it identifies this event (redeliveries included). */
  sequencer?: string;
}

/** A record of the event that is not an object created in the source bucket: that record's failure. */
export interface RejectedRecord {
  index: number;
  reason: string;
}

/** The test event S3 sends when a notification is configured: it has no Records and asks for nothing. */
const S3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent'), Bucket: z.string() });

const EnvelopeSchema = z.object({ Records: z.array(z.unknown()).check(z.minLength(1, 'must hold at least one record')) });

/**
 * Validates an S3 notification event record by record and returns the objects it reports (keys
 * decoded) and the records it refuses: not an S3 record, not an ObjectCreated event, or an object of
 * another bucket than `sourceBucket`. An event that is no S3 notification at all (no Records) is an
 * InvalidEventError; S3's own test event is neither (no objects, nothing refused).
 */
export function parseS3Event(event: unknown, sourceBucket?: string): { objects: CreatedObject[]; rejected: RejectedRecord[] } {
  if (S3TestEventSchema.safeParse(event).success) return { objects: [], rejected: [] };
  const envelope = EnvelopeSchema.safeParse(event);
  if (!envelope.success) throw new InvalidEventError('Not an S3 event notification', describeIssues(envelope.error.issues));
  const objects: CreatedObject[] = [];
  const rejected: RejectedRecord[] = [];
  envelope.data.Records.forEach((raw, index) => {
    const parsed = S3RecordSchema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ index, reason: `not an S3 event record: ${describeIssues(parsed.error.issues).slice(0, 3).join('; ')}` });
      return;
    }
    const record = parsed.data;
    if (!record.eventName.startsWith('ObjectCreated:')) {
      rejected.push({ index, reason: `not an ObjectCreated event: ${record.eventName}` });
    } else if (sourceBucket !== undefined && record.s3.bucket.name !== sourceBucket) {
      rejected.push({ index, reason: `object of bucket ${record.s3.bucket.name}, not of the source bucket ${sourceBucket}` });
    } else {
      objects.push({
        bucket: record.s3.bucket.name,
        key: decodeS3EventKey(record.s3.object.key),
        versionId: record.s3.object.versionId ?? undefined,
        eventName: record.eventName,
        ...(record.s3.object.sequencer ? { sequencer: record.s3.object.sequencer } : {}),
      });
    }
  });
  return { objects, rejected };
}
