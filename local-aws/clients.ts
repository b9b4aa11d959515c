import { EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalAwsConfig } from './config';

export interface LocalClients {
  sqs: SQSClient;
  sns: SNSClient;
  s3: S3Client;
  ec2: EC2Client;
  lambda: LambdaClient;
}

/** Clients of the local AWS: the emulators, and serverless-offline's Lambda API. */
export function localClients(config: LocalAwsConfig): LocalClients {
  const base = { region: config.region, credentials: config.credentials };
  return {
    sqs: new SQSClient({ ...base, endpoint: config.endpoint }),
    sns: new SNSClient({ ...base, endpoint: config.endpoint }),
    s3: new S3Client({ ...base, endpoint: config.endpoint, forcePathStyle: true }),
    ec2: new EC2Client({ ...base, endpoint: config.ec2Endpoint }),
    lambda: new LambdaClient({ ...base, endpoint: config.lambdaEndpoint, maxAttempts: 1 }),
  };
}
