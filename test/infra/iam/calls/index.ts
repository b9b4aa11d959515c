import { ec2SchedulerCalls } from './ec2-scheduler';
import { preTrafficHookCalls } from './pre-traffic-hook';
import { s3CopierCalls } from './s3-copier';
import { snsNotifierCalls } from './sns-notifier';
import { sqsConsumerCalls } from './sqs-consumer';
import type { CallTable } from './types';
import { volumeRetirementCalls } from './volume-retirement';

/** The call table of each function, by its logical id in the template. */
export const CALL_TABLES: Record<string, CallTable> = {
  S3CopierLambdaFunction: s3CopierCalls,
  Ec2SchedulerLambdaFunction: ec2SchedulerCalls,
  SnsNotifierLambdaFunction: snsNotifierCalls,
  SqsConsumerLambdaFunction: sqsConsumerCalls,
  VolumeRetirementLambdaFunction: volumeRetirementCalls,
  PreTrafficHookLambdaFunction: preTrafficHookCalls,
};
