import { EC2Client } from '@aws-sdk/client-ec2';

/**
 * The one EC2Client of the process, created at module scope so connections and credentials are
 * reused across invocations. Region and endpoint come from the environment (AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2), as everywhere in AWS SDK v3.
 */
export const ec2Client = new EC2Client({
  // The SDK's standard retry strategy retries throttling (RequestLimitExceeded) and transient errors
  // with exponential backoff and full jitter (500 ms base for throttling, 20 s cap); EC2 throttles
  // per account and action, so a scheduler acting on many instances gets more attempts than the 3 default.
  maxAttempts: 6,
});
