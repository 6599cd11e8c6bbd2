import { AskTimeoutError } from '../../actors/index.js';
import type { BatchEntryOutcome, ProposeBatchReply } from '../../raft/index.js';
import { ApiError } from '../grpc/index.js';

/** What the proposer needs from its API server. */
export interface ProposerDeps {
  /** Asks the replica at `path` to append `datas` (one `propose-batch`). */
  readonly send: (path: string, datas: readonly Uint8Array[]) => Promise<ProposeBatchReply>;
  /** Where proposals go now: the leader's replica path, or '' when no leader is known. */
  readonly target: () => string;
  /** The leadership term the target is known for: batches sent in an earlier term never hold back later ones. */
  readonly term: () => number;
  /** Builds the error for a write that found no leader. */
  readonly unavailable: (why: string) => ApiError;
  readonly limits: ProposerLimits;
}

export interface ProposerLimits {
  /**
   * Batches awaiting their answer from one replica at once; more writes wait
   * and go in the next batch. Counted per replica and leadership term, so
   * batches stuck at a leader that died never hold back writes to the next
   * one, even when that is the same master restarted.
   */
  readonly inFlightBatchesMax: number;
  readonly batchEntriesMax: number;
  /** Bytes of entry data in one batch (one message: NATS carries at most 1 MiB). */
  readonly batchBytesMax: number;
  /** Sends of one batch, following NOT_LEADER hints (never appended, so safe to resend). */
  readonly attemptsMax: number;
}

export const DEFAULT_PROPOSER_LIMITS: ProposerLimits = { inFlightBatchesMax: 4, batchEntriesMax: 256, batchBytesMax: 256 * 1024, attemptsMax: 3 };

/** An applied entry's outcome, and whether it was proposed to another master's replica. */
export interface Proposed {
  readonly outcome: BatchEntryOutcome;
  readonly remote: boolean;
}

interface Waiting {
  readonly data: Uint8Array;
  readonly resolve: (p: Proposed) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit for one master's writes: the transactions that arrive while
 * earlier batches are on their way leave together, as one `propose-batch` to
 * the leader's replica and one answer back, however many writes it carries.
 * A lone write goes at once (after the current turn, so writes of one turn
 * share a batch); batching only grows under load.
 */
export class Proposer {
  private readonly queue: Waiting[] = [];
  /** Batches awaiting an answer, by leadership term and the replica they went to. */
  private readonly inFlight = new Map<string, number>();
  private flushQueued = false;
  private closed = false;

  constructor(
    private readonly deps: ProposerDeps,
    private readonly localPath: string,
  ) {}

  /** Resolves with the entry's outcome once applied by the leader; rejects with an ApiError when it never was (or is unknown). */
  propose(data: Uint8Array): Promise<Proposed> {
    if (this.closed) return Promise.reject(this.deps.unavailable('the API server is stopping'));
    return new Promise<Proposed>((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        void Promise.resolve().then(() => this.flush());
      }
    });
  }

  /** Sends what waits, if it may go now: call when the leader changes. */
  kick(): void {
    if (this.queue.length > 0) this.flush();
  }

  /** Fails every waiting write (the server stops). */
  close(): void {
    this.closed = true;
    for (const w of this.queue.splice(0)) w.reject(this.deps.unavailable('the API server is stopping'));
  }

  private flush(): void {
    this.flushQueued = false;
    const { inFlightBatchesMax, batchEntriesMax, batchBytesMax } = this.deps.limits;
    for (;;) {
      const target = this.deps.target();
      const key = `${this.deps.term()}|${target}`;
      const busy = this.inFlight.get(key) ?? 0;
      if (this.queue.length === 0 || busy >= inFlightBatchesMax) return;
      let bytes = 0;
      let n = 0;
      while (n < this.queue.length && n < batchEntriesMax && (n === 0 || bytes + this.queue[n]!.data.byteLength <= batchBytesMax)) {
        bytes += this.queue[n]!.data.byteLength;
        n++;
      }
      this.inFlight.set(key, busy + 1);
      const batch = this.queue.splice(0, n);
      void this.send(batch, target, 1).finally(() => {
        const left = (this.inFlight.get(key) ?? 1) - 1;
        if (left === 0) this.inFlight.delete(key);
        else this.inFlight.set(key, left);
        if (this.queue.length > 0) this.flush();
      });
    }
  }

  private async send(batch: readonly Waiting[], target: string, attempt: number): Promise<void> {
    const failAll = (e: unknown) => {
      for (const w of batch) w.reject(e);
    };
    if (target === '') return failAll(this.deps.unavailable('no leader is known yet; retry shortly'));
    let r: ProposeBatchReply;
    try {
      r = await this.deps.send(target, batch.map((w) => w.data));
    } catch (e) {
      // A write that timed out may still be committed: its outcome is unknown, not unavailable.
      if (e instanceof AskTimeoutError) return failAll(new ApiError('DEADLINE_EXCEEDED', `no answer from the leader's replica (${target}) within ${e.timeoutMs} ms; the write may or may not have happened`, {}, { cause: e }));
      return failAll(e);
    }
    if (!r.ok) {
      if (r.code === 'NOT_LEADER' && attempt < this.deps.limits.attemptsMax && r.leaderPath !== '' && r.leaderPath !== target) return this.send(batch, r.leaderPath, attempt + 1);
      return failAll(r.code === 'NOT_LEADER' ? this.deps.unavailable(`${r.leader || 'no replica'} is the leader, not ${target}`) : new ApiError('UNAVAILABLE', `write dropped: ${r.reason}`));
    }
    const remote = target !== this.localPath;
    batch.forEach((w, i) => {
      const outcome = r.outcomes[i];
      if (outcome === undefined) w.reject(new ApiError('INTERNAL', `the replica answered ${r.outcomes.length} of ${batch.length} entries`));
      else w.resolve({ outcome, remote });
    });
  }
}
