import { WorkerError } from '../../handlers/platform/errors';

/**
 * The errors the queue CLI reports to its user: `error: <message>` on stderr and the class's exit
 * code (2: the command cannot run as given, 1: it ran and something failed). They share the
 * service's error base (a `name` of their own, `instanceof` across the project), and add the exit code.
 */
export abstract class CliError extends WorkerError {
  abstract readonly exitCode: number;
}

/** An option is missing, malformed or contradicts another; nothing was sent. */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError';
  readonly exitCode = 2;
}

/** A FIFO queue needs a message group id for each message. */
export class MissingGroupIdError extends UsageError {
  override readonly name = 'MissingGroupIdError';
  constructor(readonly queueName: string) {
    super(`FIFO queue ${queueName} needs --group-id (a message group id)`);
  }
}

export interface LineProblem {
  line: number;
  reason: string;
}

/** Lines of a JSONL file that are not messages; reported all at once, before anything is sent. */
export class JsonlError extends UsageError {
  override readonly name = 'JsonlError';
  constructor(
    readonly file: string,
    readonly problems: readonly LineProblem[],
  ) {
    super(`${file}: ${problems.length} bad line(s), nothing sent:\n${problems.map((p) => `  line ${p.line}: ${p.reason}`).join('\n')}`);
  }
}

export class QueueNotFoundError extends CliError {
  override readonly name = 'QueueNotFoundError';
  readonly exitCode = 2;
  constructor(
    readonly queue: string,
    readonly stage: string,
  ) {
    super(`Queue ${queue} does not exist on stage ${stage}`);
  }
}

export class ReceiptHandleError extends CliError {
  override readonly name = 'ReceiptHandleError';
  readonly exitCode = 2;
  constructor(
    readonly queueName: string,
    readonly awsError: string,
  ) {
    super(`receipt handle is invalid or expired: receive the message again (${queueName}: ${awsError})`);
  }
}

/** Purging a deployed stage's queue needs `--yes`. */
export class ConfirmationRequiredError extends UsageError {
  override readonly name = 'ConfirmationRequiredError';
  constructor(readonly queueName: string, readonly stage: string) {
    super(`purging ${queueName} deletes every message in it on stage ${stage}: add --yes to confirm`);
  }
}

export class PurgeInProgressError extends CliError {
  override readonly name = 'PurgeInProgressError';
  readonly exitCode = 1;
  constructor(readonly queueName: string) {
    super(`a purge of ${queueName} is already in progress (SQS allows one per 60 seconds)`);
  }
}

/** Which queue a dead-letter queue's messages go back to cannot be told; `--to` names it. */
export class RedriveSourceError extends UsageError {
  override readonly name = 'RedriveSourceError';
}

export interface FailedMessage {
  /** The line of the JSONL file, or the message id for a redrive. */
  ref: string;
  reason: string;
}

/** Some messages of a bulk send or a redrive failed; the others went through. */
export class PartialFailureError extends CliError {
  override readonly name = 'PartialFailureError';
  readonly exitCode = 1;
  constructor(
    summary: string,
    readonly failures: readonly FailedMessage[],
  ) {
    super(summary);
  }
}

/** No region or no credentials for a stage on AWS: the SDK found none in the environment or profile. */
export class AwsSetupError extends CliError {
  override readonly name = 'AwsSetupError';
  readonly exitCode = 2;
  constructor(
    readonly stage: string,
    reason: string,
  ) {
    super(`${reason} for stage ${stage}: set AWS_PROFILE (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and AWS_REGION`);
  }
}

/** Nothing answers at the stage's endpoint: for a local stage, its local AWS is not running. */
export class EndpointUnreachableError extends CliError {
  override readonly name = 'EndpointUnreachableError';
  readonly exitCode = 2;
  constructor(
    readonly stage: string,
    readonly endpoint: string,
  ) {
    super(`nothing answers at ${endpoint} (stage ${stage})${stage === 'local' ? ': start the local AWS with `npm start`' : ''}`);
  }
}
