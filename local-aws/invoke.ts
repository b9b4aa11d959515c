import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { invocationLog, type TriggerKind } from './invocation-log';
import { LambdaInvoker, type RawInvokeResult } from './lambda-invoker';

export type InvokeOutcome =
  | { ok: true; payload: unknown }
  | { ok: false; reason: string };

/**
 * Invokes a function synchronously through serverless-offline's Lambda API, as Lambda's own
 * pollers and async invokers do. A handler error, a timeout, or a runtime that is down are all
 * failures: the caller must not acknowledge anything. Every invocation is recorded in the
 * invocation log the local console shows (the trigger is read from the event unless given).
 * `lambda` is the SDK's client, or the SQS event source mappings' unsigned invoker (lambda-invoker.ts).
 */
export async function invokeFunction(
  lambda: LambdaClient | LambdaInvoker,
  functionName: string,
  event: unknown,
  timeoutSeconds: number,
  trigger?: TriggerKind,
): Promise<InvokeOutcome> {
  const startedAt = Date.now();
  const eventJson = JSON.stringify(event) as string | undefined;
  const outcome = await invoke(lambda, functionName, eventJson ?? '', timeoutSeconds);
  invocationLog.add({ functionName, event, eventJson, trigger, startedAt, durationMs: Date.now() - startedAt, outcome });
  return outcome;
}

async function viaSdk(lambda: LambdaClient, functionName: string, payload: string, timeoutMs: number): Promise<RawInvokeResult> {
  const output = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: payload }), {
    abortSignal: AbortSignal.timeout(timeoutMs),
  });
  return {
    statusCode: output.StatusCode ?? 200,
    ...(output.FunctionError ? { functionError: output.FunctionError } : {}),
    payload: output.Payload ? Buffer.from(output.Payload).toString('utf8') : '',
  };
}

async function invoke(lambda: LambdaClient | LambdaInvoker, functionName: string, payload: string, timeoutSeconds: number): Promise<InvokeOutcome> {
  try {
    const timeoutMs = (timeoutSeconds + 5) * 1000;
    const output = lambda instanceof LambdaInvoker ? await lambda.invoke(functionName, payload, timeoutMs) : await viaSdk(lambda, functionName, payload, timeoutMs);
    const text = output.payload;
    if (output.functionError) return { ok: false, reason: `${output.functionError}: ${text.slice(0, 500)}` };
    if (output.statusCode >= 300) return { ok: false, reason: `status ${output.statusCode}: ${text}` };
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
