import type { Message } from './core/messages.js';
import type { ConfChange, NodeId, SnapshotMeta } from './core/types.js';

/**
 * What a replica actor accepts. Requests (propose, read, transfer,
 * conf-change, status) are answered to the sender with a ReplicaReply, a
 * plain serializable value, so they work across processes.
 */
export type ReplicaMsg =
  /**
   * Appends `data`. Asked proposals are deduplicated by the ask's reply path
   * (a frame delivered twice is appended once); a proposal told with a
   * long-lived sender is not.
   */
  | { readonly type: 'propose'; readonly data: Uint8Array }
  /**
   * Several entries appended together (in order, in one term), answered
   * once with a ProposeBatchReply when every one of them is applied or
   * known lost: one message each way for a whole batch of writes.
   */
  | { readonly type: 'propose-batch'; readonly datas: readonly Uint8Array[] }
  | { readonly type: 'read-index' }
  | { readonly type: 'transfer-leader'; readonly target: NodeId }
  | { readonly type: 'conf-change'; readonly change: ConfChange }
  | { readonly type: 'status' }
  | { readonly type: 'campaign' }
  /** The sender gets a Leadership now and on every change (the master starts and stops leader-only work by it). */
  | { readonly type: 'subscribe-leadership' }
  | { readonly type: 'unsubscribe-leadership' }
  | { readonly type: 'raft'; readonly msg: Message }
  | SnapshotChunk
  | { readonly type: 'snap-ack'; readonly from: NodeId; readonly index: number; readonly received: number }
  | { readonly type: 'tick' }
  | { readonly type: 'persisted'; readonly generation: number }
  | { readonly type: 'persist-failed'; readonly error: unknown };

/** A piece of a snapshot on its way to a follower (NATS limits payloads to 1 MiB). */
export interface SnapshotChunk {
  readonly type: 'snap-chunk';
  readonly from: NodeId;
  readonly term: number;
  readonly meta: SnapshotMeta;
  readonly offset: number;
  readonly total: number;
  readonly chunk: Uint8Array;
}

/** Told to leadership subscribers: who leads, in which term, and what this replica is. */
export interface Leadership {
  readonly type: 'leadership';
  readonly replica: NodeId;
  readonly role: 'follower' | 'pre-candidate' | 'candidate' | 'leader';
  readonly term: number;
  /** The leader as this replica knows it, or '' when none is known. */
  readonly leader: NodeId;
  readonly leaderPath: string;
}

/** The outcome of each entry of a batch, in the order proposed. */
export type BatchEntryOutcome =
  | { readonly ok: true; readonly index: number; readonly result?: unknown }
  | { readonly ok: false; readonly code: 'DROPPED'; readonly reason: string };

export type ProposeBatchReply =
  | { readonly ok: true; readonly outcomes: readonly BatchEntryOutcome[] }
  | { readonly ok: false; readonly code: 'NOT_LEADER'; readonly leader: NodeId; readonly leaderPath: string }
  | { readonly ok: false; readonly code: 'DROPPED'; readonly reason: string };

export type ReplicaReply =
  | { readonly ok: true; readonly index: number; readonly result?: unknown }
  | { readonly ok: false; readonly code: 'NOT_LEADER'; readonly leader: NodeId; readonly leaderPath: string }
  | { readonly ok: false; readonly code: 'DROPPED'; readonly reason: string };
