/**
 * The data of Raft: log entries, the state that must survive a crash, cluster
 * configurations, snapshots and the messages replicas exchange. Plain data,
 * msgpack-friendly, no classes. Indexes and terms are integers >= 0; index 0
 * and term 0 mean "none".
 */

/** A replica's id: unique in the cluster (e.g. 'm1'). */
export type NodeId = string;

export type EntryType = 'normal' | 'conf-change';

export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  /** Opaque to raft: the state machine's command, or an encoded ConfChange. */
  readonly data: Uint8Array;
}

/** What must be on disk before a replica answers anyone. */
export interface HardState {
  readonly term: number;
  /** Whom this replica voted for in `term`, or '' for nobody. */
  readonly vote: NodeId;
  readonly commit: number;
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: '', commit: 0 };

/** The cluster's membership: voters decide, learners only receive the log. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

/** One membership change; changes are applied one at a time. */
export type ConfChange =
  | { readonly type: 'add-voter'; readonly node: NodeId }
  | { readonly type: 'add-learner'; readonly node: NodeId }
  | { readonly type: 'remove'; readonly node: NodeId };

export interface SnapshotMeta {
  /** The last index the snapshot covers, and its term. */
  readonly index: number;
  readonly term: number;
  readonly conf: ConfState;
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  /** The state machine's serialized state at `meta.index`. */
  readonly data: Uint8Array;
}

export const EMPTY_SNAPSHOT_META: SnapshotMeta = { index: 0, term: 0, conf: { voters: [], learners: [] } };
