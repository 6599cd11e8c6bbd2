import type { Entry, NodeId, Snapshot } from './types.js';

/**
 * Messages between replicas, discriminated on `type`. Every message carries
 * the sender's term; a replica that sees a higher term steps down first.
 * Read contexts are opaque strings chosen by the caller of readIndex.
 */
export type Message =
  | AppendMessage
  | AppendResponse
  | VoteRequest
  | VoteResponse
  | HeartbeatMessage
  | HeartbeatResponse
  | SnapshotMessage
  | TimeoutNowMessage
  | ReadIndexRequest
  | ReadIndexResponse
  | TransferLeaderRequest;

interface Base {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
}

/** Entries after (index, logTerm); the follower checks it has that entry. */
export interface AppendMessage extends Base {
  readonly type: 'app';
  readonly index: number;
  readonly logTerm: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
}

/**
 * Success: `index` is the follower's last index after appending. Rejection:
 * `index` echoes the append's index and (hintIndex, hintTerm) point at where
 * the follower's log could match, so the leader skips a whole term at a time.
 */
export interface AppendResponse extends Base {
  readonly type: 'app-resp';
  readonly index: number;
  readonly reject: boolean;
  readonly hintIndex: number;
  readonly hintTerm: number;
}

export interface VoteRequest extends Base {
  readonly type: 'vote' | 'pre-vote';
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** Set when campaigning on the leader's request (leadership transfer). */
  readonly transfer: boolean;
}

export interface VoteResponse extends Base {
  readonly type: 'vote-resp' | 'pre-vote-resp';
  readonly reject: boolean;
}

export interface HeartbeatMessage extends Base {
  readonly type: 'heartbeat';
  readonly commit: number;
  /** The read context being confirmed, or '' for none. */
  readonly context: string;
}

export interface HeartbeatResponse extends Base {
  readonly type: 'heartbeat-resp';
  readonly context: string;
}

export interface SnapshotMessage extends Base {
  readonly type: 'snap';
  readonly snapshot: Snapshot;
}

/** The leader tells the transfer target to campaign now. */
export interface TimeoutNowMessage extends Base {
  readonly type: 'timeout-now';
}

/** A follower asks the leader for a read index on behalf of its caller. */
export interface ReadIndexRequest extends Base {
  readonly type: 'read-index';
  readonly context: string;
}

export interface ReadIndexResponse extends Base {
  readonly type: 'read-index-resp';
  readonly index: number;
  readonly context: string;
}

/** A follower forwards a leadership transfer request to the leader. */
export interface TransferLeaderRequest extends Base {
  readonly type: 'transfer-leader';
  readonly target: NodeId;
}

/** A linearizable read may be served once the state machine has applied `index`. */
export interface ReadState {
  readonly index: number;
  readonly context: string;
}
