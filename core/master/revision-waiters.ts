import type { Clock, TimerHandle } from '../../actors/index.js';

interface Waiter {
  readonly revision: number;
  readonly resolve: (reached: boolean) => void;
  readonly timer: TimerHandle;
}

/**
 * Promises that resolve once the local store has applied a revision. A
 * follower's API server waits on them so that what it acknowledges, and the
 * base it admits an update from, is what the client has already seen.
 * Resolves `false` after `timeoutMs` instead (bounded wait; the caller
 * decides what that means). The owner calls `reached(revision)` after every
 * apply or restore.
 */
export class RevisionWaiters {
  private waiters: Waiter[] = [];
  private current: number;

  constructor(
    private readonly clock: Clock,
    initialRevision: number,
  ) {
    this.current = initialRevision;
  }

  waitFor(revision: number, timeoutMs: number): Promise<boolean> {
    if (revision <= this.current) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = this.clock.setTimer(timeoutMs, () => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        resolve(false);
      });
      this.waiters.push({ revision, resolve, timer });
    });
  }

  reached(revision: number): void {
    this.current = revision;
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.revision > revision) {
        still.push(w);
        continue;
      }
      this.clock.cancelTimer(w.timer);
      w.resolve(true);
    }
    this.waiters = still;
  }

  /** Resolves every waiter with `false` (the server stops). */
  cancelAll(): void {
    for (const w of this.waiters) {
      this.clock.cancelTimer(w.timer);
      w.resolve(false);
    }
    this.waiters = [];
  }
}
