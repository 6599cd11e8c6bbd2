import type { NodeId } from './core/types.js';

/** The replica asked is not the leader; retry at `leaderPath` if known. */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';
  readonly code = 'NOT_LEADER';
  constructor(
    readonly replica: NodeId,
    /** The leader as far as this replica knows, or '' when unknown. */
    readonly leader: NodeId,
    readonly leaderPath: string,
  ) {
    super(leader ? `${replica} is not the leader; the leader is ${leader}` : `${replica} is not the leader and knows of none`);
  }
}

/** A proposal did not make it into the log, or was overwritten before commit. */
export class ProposalDroppedError extends Error {
  override readonly name = 'ProposalDroppedError';
  readonly code = 'PROPOSAL_DROPPED';
  constructor(
    readonly replica: NodeId,
    readonly reason: string,
  ) {
    super(`proposal dropped by ${replica}: ${reason}`);
  }
}

/** The durable log failed; the replica stops rather than risk its promises. */
export class StorageFailedError extends Error {
  override readonly name = 'StorageFailedError';
  readonly code = 'STORAGE_FAILED';
  constructor(
    readonly replica: NodeId,
    options?: ErrorOptions,
  ) {
    super(`replica ${replica} could not persist its log`, options);
  }
}
