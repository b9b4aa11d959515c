import type { LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { invokeFunction } from './invoke';
import { log } from './log';

export interface AsyncInvokeTarget {
  functionName: string;
  timeoutSeconds: number;
  /** URL of the on-failure destination queue, if the function has one. */
  onFailureQueueUrl?: string;
}

/** The record Lambda sends to an on-failure destination. */
export function failureRecord(functionArn: string, event: unknown, attempts: number, reason: string) {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId: crypto.randomUUID(), functionArn, condition: 'RetriesExhausted', approximateInvokeCount: attempts },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorMessage: reason },
  };
}

/**
 * Asynchronous invocation as S3 and SNS use it: on failure Lambda retries twice (after about 1 and
 * 2 minutes on AWS; seconds here), then sends the event to the function's on-failure destination,
 * or drops it with an error log when it has none.
 */
export async function invokeAsync(
  clients: { lambda: LambdaClient; sqs: SQSClient },
  target: AsyncInvokeTarget,
  event: unknown,
  retryDelaysMs: readonly number[] = [1000, 2000],
): Promise<boolean> {
  const { functionName } = target;
  for (let attempt = 0; ; attempt++) {
    const outcome = await invokeFunction(clients.lambda, functionName, event, target.timeoutSeconds);
    if (outcome.ok) return true;
    const delay = retryDelaysMs[attempt];
    if (delay !== undefined) {
      log.warn('Asynchronous invocation failed; retrying', { functionName, attempt: attempt + 1, reason: outcome.reason });
      await new Promise((resolve) => setTimeout(resolve, delay));
      continue;
    }
    await sendToOnFailureDestination(clients.sqs, target, event, attempt + 1, outcome.reason);
    return false;
  }
}

/** Hands a failed asynchronous event to the function's on-failure destination, if it has one. */
export async function sendToOnFailureDestination(
  sqs: SQSClient,
  target: AsyncInvokeTarget,
  event: unknown,
  attempts: number,
  reason: string,
): Promise<void> {
  const { functionName, onFailureQueueUrl } = target;
  if (!onFailureQueueUrl) {
    log.error('Asynchronous invocation failed after retries; the event is dropped (no on-failure destination)', { functionName, attempts, reason, event });
    return;
  }
  const record = failureRecord(`arn:aws:lambda:local:000000000000:function:${functionName}`, event, attempts, reason);
  await sqs.send(new SendMessageCommand({ QueueUrl: onFailureQueueUrl, MessageBody: JSON.stringify(record) }));
  log.error('Asynchronous invocation failed after retries; the event went to the on-failure destination', { functionName, attempts, reason, onFailureQueueUrl });
}
