/**
 * The store's errors. Each sets `name`, carries a `readonly code` and the
 * context a caller needs (the revisions involved, the field that is wrong),
 * and passes `ErrorOptions` so a `cause` survives.
 *
 * Apply never throws these for a committed command: an expected failure
 * there (a malformed entry, a compaction that cannot happen) is a
 * `RejectedResult` value, so every replica records the same outcome and none
 * crashes on it. `rejectionError()` turns such a value into the matching error
 * for a caller that prefers to throw. Reads throw them directly.
 */

/** A command (an entry's bytes, or an object handed to applyCommand) is not well formed. */
export class MalformedCommandError extends Error {
  override readonly name = 'MalformedCommandError';
  readonly code = 'MALFORMED_COMMAND';
  constructor(
    /** Where in the command, e.g. `success[2].value`; '' for the command itself. */
    readonly path: string,
    /** What is wrong there, e.g. `expected bytes (a Uint8Array), got string`. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`malformed store command: ${path === '' ? 'command' : path}: ${reason}`, options);
  }
}

/** A read, watch or compaction asked for a revision older than the oldest one kept. */
export class CompactedRevisionError extends Error {
  override readonly name = 'CompactedRevisionError';
  readonly code = 'COMPACTED';
  constructor(
    readonly requestedRevision: number,
    /** The oldest revision still readable (everything below it is gone). */
    readonly compactRevision: number,
    options?: ErrorOptions,
  ) {
    super(`revision ${requestedRevision} has been compacted (the oldest readable revision is ${compactRevision})`, options);
  }
}

/** A read or compaction asked for a revision the store has not reached. */
export class FutureRevisionError extends Error {
  override readonly name = 'FutureRevisionError';
  readonly code = 'FUTURE_REVISION';
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number,
    options?: ErrorOptions,
  ) {
    super(`revision ${requestedRevision} is ahead of the store (current revision ${currentRevision})`, options);
  }
}

/** A read's arguments are out of range (a negative limit, a key and a prefix together). */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
  readonly code = 'INVALID_REQUEST';
  constructor(
    readonly field: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`invalid store request: ${field}: ${reason}`, options);
  }
}

/** Snapshot bytes that do not decode to a consistent store; restore leaves the store as it was. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
  readonly code = 'SNAPSHOT_FORMAT';
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`store snapshot is not valid: ${reason}`, options);
  }
}

/** An invariant of the store was broken: a bug, never an expected outcome. */
export class StoreInvariantError extends Error {
  override readonly name = 'StoreInvariantError';
  readonly code = 'STORE_INVARIANT';
}

export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new StoreInvariantError(message);
}

export type StoreError =
  | MalformedCommandError
  | CompactedRevisionError
  | FutureRevisionError
  | InvalidRequestError
  | SnapshotFormatError;
