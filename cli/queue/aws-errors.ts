/**
 * What an AWS SDK error means for the CLI. SQS answers in the JSON protocol (`QueueDoesNotExist`)
 * and, for older clients, the query protocol (`AWS.SimpleQueueService.NonExistentQueue`): both count.
 */
interface AwsErrorLike {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function codes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const { name, Code } = error as AwsErrorLike;
  return [name, Code].filter((code): code is string => typeof code === 'string').map((code) => code.replace(/^AWS\.SimpleQueueService\./, ''));
}

function status(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? (error as AwsErrorLike).$metadata?.httpStatusCode : undefined;
}

export function describeAwsError(error: unknown): string {
  const [code] = codes(error);
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

export function isQueueMissing(error: unknown): boolean {
  return codes(error).some((code) => code === 'QueueDoesNotExist' || code === 'NonExistentQueue');
}

const RECEIPT_HANDLE_CODES = new Set(['ReceiptHandleIsInvalid', 'InvalidParameterValue', 'MessageNotInflight', 'InvalidIdFormat']);

/** DeleteMessage refused the receipt handle: malformed, expired, or of a message no longer in flight. */
export function isReceiptHandleRejected(error: unknown): boolean {
  return codes(error).some((code) => RECEIPT_HANDLE_CODES.has(code));
}

export function isPurgeInProgress(error: unknown): boolean {
  return codes(error).includes('PurgeQueueInProgress');
}

const UNSUPPORTED_CODES = new Set(['InvalidAction', 'UnsupportedOperation', 'UnknownOperation', 'UnknownOperationException', 'NotImplemented']);

/**
 * The service does not offer the action at all (an emulator without message move tasks, a region
 * without it). Access denied, throttling, a missing queue or a bad parameter are not this: those
 * are real failures the user must see.
 */
export function isUnsupportedAction(error: unknown): boolean {
  if (codes(error).some((code) => UNSUPPORTED_CODES.has(code))) return true;
  const code = status(error);
  const message = error instanceof Error ? error.message : '';
  return (code === 400 || code === 404 || code === 501) && /\b(unknown|unsupported|not supported|not implemented)\b.*\b(action|operation)\b|\b(action|operation)\b.*\b(unknown|unsupported|not supported|not implemented)\b/i.test(message);
}

/**
 * StartMessageMoveTask refused the queue because no queue names it as its dead-letter queue (a
 * DLQ known only by its RedriveAllowPolicy, or a plain queue): SQS moves messages only out of DLQs.
 */
export function isNotADeadLetterQueue(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return codes(error).includes('InvalidParameterValue') && /dead.letter queue/i.test(message);
}

/** The SDK has no region or no credentials: a setup problem, not a failure of the request. */
export function missingAwsSetup(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.message === 'Region is missing') return 'no AWS region';
  if (error.name === 'CredentialsProviderError') return 'no AWS credentials';
  return undefined;
}

export function isConnectionRefused(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ECONNREFUSED';
}
