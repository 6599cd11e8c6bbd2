/** An invariant of the raft core was broken: a bug, never an expected outcome. */
export class RaftInvariantError extends Error {
  override readonly name = 'RaftInvariantError';
  readonly code = 'RAFT_INVARIANT';
}

/** Storage was asked for entries it has compacted away. */
export class CompactedError extends Error {
  override readonly name = 'CompactedError';
  readonly code = 'RAFT_COMPACTED';
  constructor(
    readonly index: number,
    readonly firstIndex: number,
  ) {
    super(`index ${index} is compacted (first available is ${firstIndex})`);
  }
}

export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new RaftInvariantError(message);
}
