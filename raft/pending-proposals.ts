import { RecentSet, isAskReplyPath, type ActorRef } from '../actors/index.js';
import type { BatchEntryOutcome, ProposeBatchReply, ReplicaReply } from './protocol.js';

type Pending =
  | { readonly term: number; readonly replyTo: ActorRef<never>; readonly batch?: undefined }
  /** One entry of a batch: `slot` is its place in the batch's outcomes. */
  | { readonly term: number; readonly replyTo?: undefined; readonly batch: PendingBatch; readonly slot: number };

interface PendingBatch {
  readonly replyTo: ActorRef<never>;
  readonly outcomes: (BatchEntryOutcome | undefined)[];
  left: number;
}

/**
 * The proposals a replica has appended and not yet answered, by log index:
 * each is answered once its entry is applied (or known lost), a batch once
 * every entry of it is.
 */
export class PendingProposals {
  private readonly byIndex = new Map<number, Pending>();
  // Senders of recent proposals: an ask's reply ref is unique to it, so a
  // second delivery of the same proposal (a duplicated frame) is dropped
  // instead of appended twice, where its failed compare could answer first
  // and report a committed write as refused. Only asks are deduplicated: a
  // long-lived actor that tells proposals with itself as sender sends many.
  private readonly recentProposers = new RecentSet(16_384);

  /** True for a second delivery of an asked proposal (drop it). */
  isDuplicate(sender: ActorRef<never> | null): boolean {
    return sender !== null && isAskReplyPath(sender.path) && !this.recentProposers.add(sender.path);
  }

  add(index: number, term: number, replyTo: ActorRef<never>): void {
    this.byIndex.set(index, { term, replyTo });
  }

  addBatch(firstIndex: number, term: number, count: number, replyTo: ActorRef<never>): void {
    const batch: PendingBatch = { replyTo, outcomes: new Array<BatchEntryOutcome | undefined>(count), left: count };
    for (let i = 0; i < count; i++) this.byIndex.set(firstIndex + i, { term, batch, slot: i });
  }

  /** The entry at `index` was applied in `term` with `result`: answers its proposal, if any. */
  applied(index: number, term: number, result: unknown): void {
    const p = this.byIndex.get(index);
    if (p === undefined) return;
    this.byIndex.delete(index);
    if (p.term === term) settle(p, { ok: true, index, result });
    else settle(p, { ok: false, code: 'DROPPED', reason: `entry ${index} was overwritten by term ${term}` });
  }

  failUpTo(index: number, reason: string): void {
    for (const [i, p] of this.byIndex) {
      if (i > index) continue;
      this.byIndex.delete(i);
      settle(p, { ok: false, code: 'DROPPED', reason });
    }
  }
}

/** Answers a proposal, or fills its slot in a batch and answers the batch once complete. */
function settle(p: Pending, outcome: BatchEntryOutcome): void {
  if (p.batch === undefined) return (p.replyTo as ActorRef<ReplicaReply>).tell(outcome);
  const b = p.batch;
  b.outcomes[p.slot] = outcome;
  if (--b.left === 0) (b.replyTo as ActorRef<ProposeBatchReply>).tell({ ok: true, outcomes: b.outcomes as BatchEntryOutcome[] });
}
