import type { LambdaClient } from '@aws-sdk/client-lambda';
import { invokeFunction } from './invoke';
import { log } from './log';

/**
 * Asynchronous invocation as S3 uses it: on failure Lambda retries twice (after about 1 and 2
 * minutes on AWS; seconds here). A final failure is logged as an error with the event.
 */
export async function invokeAsync(
  lambda: LambdaClient,
  functionName: string,
  event: unknown,
  timeoutSeconds: number,
  retryDelaysMs: readonly number[] = [1000, 2000],
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await invokeFunction(lambda, functionName, event, timeoutSeconds);
    if (outcome.ok) return true;
    const delay = retryDelaysMs[attempt];
    if (delay === undefined) {
      log.error('Asynchronous invocation failed after retries', { functionName, attempts: attempt + 1, reason: outcome.reason, event });
      return false;
    }
    log.warn('Asynchronous invocation failed; retrying', { functionName, attempt: attempt + 1, reason: outcome.reason });
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
