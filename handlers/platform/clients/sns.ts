import { SNSClient } from '@aws-sdk/client-sns';

/**
 * The one SNSClient of the process, created at module scope so connections and credentials are
 * reused across invocations. Region and endpoint come from the environment (AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SNS), as everywhere in AWS SDK v3.
 */
export const snsClient = new SNSClient({});
