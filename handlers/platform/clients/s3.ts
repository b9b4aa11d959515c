import { S3Client } from '@aws-sdk/client-s3';

/**
 * The one S3Client of the process, created at module scope so connections and credentials are
 * reused across invocations. Region and endpoint come from the environment (AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3), as everywhere in AWS SDK v3.
 */
export const s3Client = new S3Client({});
