import type { Random } from '../../actors/world/random.js';
import type { NodeId } from './types.js';

export interface RaftConfig {
  readonly id: NodeId;
  /** The cluster at bootstrap, used when storage holds no configuration yet. */
  readonly voters: readonly NodeId[];
  readonly learners?: readonly NodeId[];
  /** Ticks without hearing from a leader before campaigning; randomized in [n, 2n). Default 10. */
  readonly electionTicks?: number;
  /** Ticks between a leader's heartbeats. Default 1. */
  readonly heartbeatTicks?: number;
  /** Bytes of entries in one append message (NATS payloads are limited to 1 MiB). Default 256 KiB. */
  readonly maxMsgBytes?: number;
  /** Append messages in flight to one follower in the replicate state. Default 256. */
  readonly maxInflightMsgs?: number;
  /** Bytes of committed entries handed to the state machine in one Ready. Default 4 MiB. */
  readonly maxApplyBytes?: number;
  /** A leader that has not heard from a quorum for an election timeout steps down. Default true. */
  readonly checkQuorum?: boolean;
  /** Campaign in two phases so a partitioned replica never bumps the term of a healthy cluster. Default true. */
  readonly preVote?: boolean;
  /** Randomizes election timeouts; from the actor context. */
  readonly random: Random;
}

export type ResolvedConfig = Required<RaftConfig>;

export function resolveConfig(c: RaftConfig): ResolvedConfig {
  const r: ResolvedConfig = {
    learners: [],
    electionTicks: 10,
    heartbeatTicks: 1,
    maxMsgBytes: 256 * 1024,
    maxInflightMsgs: 256,
    maxApplyBytes: 4 * 1024 * 1024,
    checkQuorum: true,
    preVote: true,
    ...c,
  };
  if (!(r.heartbeatTicks >= 1)) throw new RangeError(`raft config heartbeatTicks: must be >= 1, got ${r.heartbeatTicks}`);
  if (!(r.electionTicks > r.heartbeatTicks)) {
    throw new RangeError(`raft config electionTicks: must be > heartbeatTicks (${r.heartbeatTicks}), got ${r.electionTicks}`);
  }
  if (!(r.maxInflightMsgs >= 1)) throw new RangeError(`raft config maxInflightMsgs: must be >= 1, got ${r.maxInflightMsgs}`);
  if (r.id === '') throw new RangeError('raft config id: must not be empty');
  return r;
}
