import { WorkerError } from '../../platform/errors';

/**
 * The execution input of the volume retirement workflow is not `{"dryRun"?: boolean, "ageLimit"?:
 * days}`: raised by its first state, so the execution fails there and changes nothing.
 */
export class InvalidRetirementInputError extends WorkerError {
  override readonly name = 'InvalidRetirementInputError';
  constructor(
    message: string,
    readonly issues: readonly string[],
  ) {
    super(message);
  }
}

/**
 * A volume the workflow chose is no longer one it may retire: gone (deleted by someone else),
 * attached again, or given the keep tag since it was found. Not retried: the volume is announced
 * and left as it is.
 */
export class VolumeNoLongerRetirableError extends WorkerError {
  override readonly name = 'VolumeNoLongerRetirableError';
  constructor(
    readonly volumeId: string,
    readonly reason: 'gone' | 'attached' | 'kept',
    options?: { cause?: unknown },
  ) {
    super(`Volume ${volumeId} is no longer retirable: ${reason === 'gone' ? 'it no longer exists' : reason === 'attached' ? 'it is attached again' : 'it has the keep tag now'}`, options);
  }
}

/** The snapshot taken before deleting a volume failed, or vanished: the volume is kept. */
export class SnapshotFailedError extends WorkerError {
  override readonly name = 'SnapshotFailedError';
  constructor(
    readonly volumeId: string,
    readonly snapshotId: string,
    detail: string,
  ) {
    super(`Snapshot ${snapshotId} of volume ${volumeId} ${detail}; the volume is kept`);
  }
}

/** The snapshot did not complete within the workflow's overall wait: the volume is kept. */
export class SnapshotTimeoutError extends WorkerError {
  override readonly name = 'SnapshotTimeoutError';
  constructor(
    readonly volumeId: string,
    readonly snapshotId: string,
    readonly deadline: string,
  ) {
    super(`Snapshot ${snapshotId} of volume ${volumeId} was not completed by ${deadline}; the volume is kept`);
  }
}
