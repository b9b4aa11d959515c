import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type * as z from '../../platform/zod';
import type { CopySettings } from '../copying/copy-settings';
import type { SchedulerConfig } from '../scheduling/schedules';

/** What a job may use: the AWS clients, the consumer's configuration and the record's identity. */
export interface JobContext {
  /**
   * The AWS clients, each loaded on a job's first use: a cold start pays only for the clients the
   * job it runs needs (a canary none, a copy S3 alone). EC2 is not here: only `schedule-instances`
   * needs it, and that job imports it when it runs.
   */
  clients: { s3(): Promise<S3Client>; sns(): Promise<SNSClient> };
  config: {
    /** Where and how copy-object copies (the same settings as s3Copier's). */
    copy: CopySettings;
    notificationsTopicArn: string;
    /** The queues' maxReceiveCount: a job failing on this receive goes to the DLQ next. */
    maxReceiveCount: number;
    scheduleTagKey: string;
    /** The validated config/schedules.json. */
    scheduler: SchedulerConfig;
  };
  messageId: string;
  /** ApproximateReceiveCount of the record: 1 on the first delivery. */
  receiveCount: number;
}

/** A job type: its `type`, the zod schema of its message, and the function that runs it. */
export interface JobDefinition<T extends string, S extends z.ZodMiniObject<{ type: z.ZodMiniLiteral<T> }>> {
  type: T;
  schema: S;
  run(job: z.output<S>, context: JobContext): Promise<unknown>;
}

/** Declares a job type; the job's input type comes from its schema. */
export function defineJob<T extends string, S extends z.ZodMiniObject<{ type: z.ZodMiniLiteral<T> }>>(definition: JobDefinition<T, S>): JobDefinition<T, S> {
  return definition;
}
