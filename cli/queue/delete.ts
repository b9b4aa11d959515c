import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { describeAwsError, isReceiptHandleRejected } from './aws-errors';
import { sqs } from './client';
import { ReceiptHandleError, UsageError } from './errors';
import type { Queue } from './resolve-queue';

/** Deletes one received message by its receipt handle. */
export async function deleteMessage(queue: Queue, receiptHandle: string): Promise<void> {
  if (receiptHandle.trim() === '') throw new UsageError('--receipt-handle must not be empty');
  try {
    await sqs().send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: receiptHandle }));
  } catch (error) {
    if (isReceiptHandleRejected(error)) throw new ReceiptHandleError(queue.name, describeAwsError(error));
    throw error;
  }
}
