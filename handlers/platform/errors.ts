/**
 * The base of every typed error of the service, and the errors that belong to no one worker.
 * Each carries the data an operator needs to act on it; causes are wrapped with `{ cause }`.
 */

/** Base class: `name` is the subclass's, so logs and `instanceof` both tell errors apart. */
export abstract class WorkerError extends Error {
  abstract override readonly name: string;
}

/** Configuration is missing or malformed; raised at start-up, naming each offending variable. */
export class ConfigurationError extends WorkerError {
  override readonly name = 'ConfigurationError';
  constructor(
    message: string,
    readonly variables: readonly string[],
  ) {
    super(message);
  }
}

/** The event handed to a handler is not of the shape its trigger produces. */
export class InvalidEventError extends WorkerError {
  override readonly name = 'InvalidEventError';
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Turns zod issues into short `path: message` lines for logs and error messages. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
}
