import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * The one SQSClient of the process, created at module scope so connections and credentials are
 * reused across invocations. Region and endpoint come from the environment (AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SQS), as everywhere in AWS SDK v3.
 */
export const sqsClient = new SQSClient({});
