import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';

/** What a job may use: the AWS clients, the consumer's configuration and the record's identity. */
export interface JobContext {
  clients: { s3: S3Client; sns: SNSClient; ec2: EC2Client };
  config: {
    destinationBucket: string;
    notificationsTopicArn: string;
    scheduleTag: { key: string; value: string };
  };
  messageId: string;
  /** ApproximateReceiveCount of the record: 1 on the first delivery. */
  receiveCount: number;
}
