import { coalesceAppends } from './coalesce.js';
import { resolveConfig, type RaftConfig } from './config.js';
import type { Message, ReadState } from './messages.js';
import { Raft, type ProposeResult, type ReadIndexResult, type SoftState } from './raft.js';
import type { Storage } from './storage.js';
import type { ConfChange, ConfState, Entry, HardState, NodeId, Snapshot } from './types.js';

/**
 * One batch of work for the driver. Contract, in this order:
 * 1. persist `hardState`, `entries` and `snapshot` (durably, fsync) BEFORE
 *    sending any message: a vote or an acknowledgement promises durability;
 * 2. send `messages`;
 * 3. apply `snapshot` then `committedEntries` to the state machine, in order;
 * 4. serve `readStates` once the state machine has applied their index;
 * 5. call `advance(ready)`. Do not call `ready()` again before that; `step`,
 *    `tick` and `propose` may be called in between.
 * A `snap` message is the driver's to deliver (in chunks); it must report the
 * outcome with `reportSnapshot`, or a follower whose answer is lost waits in
 * the snapshot state for good.
 */
export interface Ready {
  /** Set when term, vote or commit changed. */
  readonly hardState: HardState | null;
  readonly softState: SoftState | null;
  readonly entries: readonly Entry[];
  readonly snapshot: Snapshot | null;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly readStates: readonly ReadState[];
  /** Whether persisting needs an fsync (entries or term/vote changed). */
  readonly mustSync: boolean;
}

/** Facts about a replica for status pages and tests. */
export interface RaftStatus {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly lead: NodeId;
  readonly role: SoftState['role'];
  readonly commit: number;
  readonly applied: number;
  readonly lastIndex: number;
  readonly conf: ConfState;
  readonly leadTransferee: NodeId;
  /** The leader's view of each member's replication (empty elsewhere). */
  readonly progress: ReadonlyMap<NodeId, { match: number; next: number; state: string }>;
}

/** The driver's handle on a raft replica: step and tick in, Ready out. */
export class RawNode {
  readonly raft: Raft;
  private prevHard: HardState;
  private prevSoft: SoftState;
  private readonly maxMsgBytes: number;

  constructor(config: RaftConfig, storage: Storage) {
    this.raft = new Raft(config, storage);
    this.maxMsgBytes = resolveConfig(config).maxMsgBytes;
    this.prevHard = this.raft.hardState();
    this.prevSoft = this.raft.softState();
  }

  tick(): void {
    this.raft.tick();
  }

  step(m: Message): void {
    this.raft.step(m);
  }

  campaign(): void {
    this.raft.campaignNow();
  }

  propose(datas: readonly Uint8Array[]): ProposeResult {
    return this.raft.propose(datas);
  }

  proposeConfChange(cc: ConfChange): ProposeResult {
    return this.raft.proposeConfChange(cc);
  }

  applyConfChange(cc: ConfChange): ConfState {
    return this.raft.applyConfChange(cc);
  }

  readIndex(context: string): ReadIndexResult {
    return this.raft.readIndex(context);
  }

  transferLeader(target: NodeId): void {
    this.raft.transferLeader(target);
  }

  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raft.reportSnapshot(id, ok);
  }

  hasReady(): boolean {
    const r = this.raft;
    return (
      r.msgs.length > 0 ||
      r.readStates.length > 0 ||
      r.log.unstable.entries.length > 0 ||
      r.log.unstable.snapshot !== null ||
      r.log.hasNextCommittedEntries() ||
      !sameHard(r.hardState(), this.prevHard) ||
      !sameSoft(r.softState(), this.prevSoft)
    );
  }

  /** Takes the next batch of work (see Ready for the contract). */
  ready(): Ready {
    const r = this.raft;
    const hard = r.hardState();
    const soft = r.softState();
    const entries = r.log.unstableEntries();
    const hardChanged = !sameHard(hard, this.prevHard);
    const rd: Ready = {
      hardState: hardChanged ? hard : null,
      softState: sameSoft(soft, this.prevSoft) ? null : soft,
      entries,
      snapshot: r.log.unstable.snapshot,
      committedEntries: r.log.nextCommittedEntries(),
      messages: coalesceAppends(r.msgs, this.maxMsgBytes),
      readStates: r.readStates,
      mustSync: entries.length > 0 || hard.term !== this.prevHard.term || hard.vote !== this.prevHard.vote,
    };
    r.msgs = [];
    r.readStates = [];
    if (rd.hardState) this.prevHard = hard;
    if (rd.softState) this.prevSoft = soft;
    return rd;
  }

  /** Acknowledges a Ready once it has been persisted, sent and applied. */
  advance(rd: Ready): void {
    const log = this.raft.log;
    if (rd.snapshot) {
      log.stableSnapTo(rd.snapshot.meta.index);
      if (log.applied < rd.snapshot.meta.index) log.applied = rd.snapshot.meta.index;
    }
    const last = rd.entries[rd.entries.length - 1];
    if (last) {
      log.stableTo(last.index, last.term);
      this.raft.selfPersisted(last.index, last.term);
    }
    const applied = rd.committedEntries[rd.committedEntries.length - 1];
    if (applied) log.appliedTo(applied.index);
  }

  status(): RaftStatus {
    const r = this.raft;
    const progress = new Map<NodeId, { match: number; next: number; state: string }>();
    if (r.role === 'leader') for (const [id, pr] of r.prs) progress.set(id, { match: pr.match, next: pr.next, state: pr.state });
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      lead: r.lead,
      role: r.role,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      conf: r.conf,
      leadTransferee: r.leadTransferee,
      progress,
    };
  }
}

function sameHard(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

function sameSoft(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.role === b.role;
}
