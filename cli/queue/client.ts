import { SQSClient } from '@aws-sdk/client-sqs';

let client: SQSClient | undefined;

/**
 * The one SQS client of the CLI, created on first use, after `openStage` has set the stage's
 * environment: region and credentials come from it as the SDK reads them. The endpoint variable
 * is passed on explicitly (undefined on AWS, where the regional endpoint applies) because a client
 * whose endpoint comes from the environment sends each request to its QueueUrl's host instead,
 * and the emulator's queue URLs name `sqs.<region>.localhost`, which does not resolve everywhere.
 */
export function sqs(): SQSClient {
  client ??= new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS ?? process.env.AWS_ENDPOINT_URL });
  return client;
}
