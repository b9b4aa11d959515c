import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { invocationLog, type TriggerKind } from './invocation-log';

export type InvokeOutcome =
  | { ok: true; payload: unknown }
  | { ok: false; reason: string };

/**
 * Invokes a function synchronously through serverless-offline's Lambda API, as Lambda's own
 * pollers and async invokers do. A handler error, a timeout, or a runtime that is down are all
 * failures: the caller must not acknowledge anything. Every invocation is recorded in the
 * invocation log the local console shows (the trigger is read from the event unless given).
 */
export async function invokeFunction(
  lambda: LambdaClient,
  functionName: string,
  event: unknown,
  timeoutSeconds: number,
  trigger?: TriggerKind,
): Promise<InvokeOutcome> {
  const startedAt = Date.now();
  const outcome = await invoke(lambda, functionName, event, timeoutSeconds);
  invocationLog.add({ functionName, event, trigger, startedAt, durationMs: Date.now() - startedAt, outcome });
  return outcome;
}

async function invoke(lambda: LambdaClient, functionName: string, event: unknown, timeoutSeconds: number): Promise<InvokeOutcome> {
  try {
    const output = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: JSON.stringify(event) }),
      { abortSignal: AbortSignal.timeout((timeoutSeconds + 5) * 1000) },
    );
    const text = output.Payload ? Buffer.from(output.Payload).toString('utf8') : '';
    if (output.FunctionError) return { ok: false, reason: `${output.FunctionError}: ${text.slice(0, 500)}` };
    if (output.StatusCode !== undefined && output.StatusCode >= 300) return { ok: false, reason: `status ${output.StatusCode}: ${text}` };
    if (text.trim() === '') return { ok: true, payload: null };
    try {
      return { ok: true, payload: JSON.parse(text) as unknown };
    } catch {
      return { ok: true, payload: text };
    }
  } catch (error) {
    return { ok: false, reason: `invoke failed: ${(error as Error).message}` };
  }
}
