import type { SQSEvent, SQSRecord } from 'aws-lambda';

export const STANDARD_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work';
export const FIFO_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work.fifo';

export interface SqsRecordOptions {
  messageId: string;
  /** The message body; a non-string is sent as its JSON. */
  body: unknown;
  receiveCount?: number;
  queueArn?: string;
  /** FIFO only: sets MessageGroupId, MessageDeduplicationId and SequenceNumber. */
  messageGroupId?: string;
}

let sequence = 0;

/** An SQS record as the Lambda poller delivers it. */
export function sqsRecord({ messageId, body, receiveCount = 1, queueArn = STANDARD_QUEUE_ARN, messageGroupId }: SqsRecordOptions): SQSRecord {
  sequence += 1;
  const sentTimestamp = String(1741944600000 + sequence);
  return {
    messageId,
    receiptHandle: `AQEB${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: sentTimestamp,
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: sentTimestamp,
      ...(messageGroupId
        ? {
            MessageGroupId: messageGroupId,
            MessageDeduplicationId: `${messageGroupId}-${messageId}`,
            SequenceNumber: String(18893051736152900000n + BigInt(sequence)),
          }
        : {}),
    },
    messageAttributes: {},
    md5OfBody: '00000000000000000000000000000000',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** The body SNS puts on an SQS queue for a subscription without raw message delivery. */
export function snsEnvelope(message: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const topicArn = 'arn:aws:sns:us-east-1:000000000000:messaging-workers-local-notifications';
  return {
    Type: 'Notification',
    MessageId: '6a1f4c8e-2b3d-5e7f-9a0b-1c2d3e4f5a6b',
    TopicArn: topicArn,
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2025-03-14T09:30:00.118Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
    UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:0b6941c4`,
    ...overrides,
  };
}
