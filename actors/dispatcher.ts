import type { Schedule } from './world/clock.js';

/** What the dispatcher runs: an actor cell, seen only as "run a batch". */
export interface Runnable {
  queued: boolean;
  run(throughput: number): void;
}

export interface DispatcherOptions {
  /** Messages one actor handles before yielding to the next (fairness). */
  readonly throughput: number;
  /** Actor batches run in one host turn before yielding to I/O. */
  readonly batchesPerTurn: number;
}

const SHRINK_ABOVE = 4096;

export const DEFAULT_DISPATCHER: DispatcherOptions = { throughput: 64, batchesPerTurn: 2048 };

/**
 * A FIFO run queue of actors with work. Each gets at most `throughput`
 * messages per turn and goes to the back of the queue if it has more, so
 * one busy actor cannot starve the others; after `batchesPerTurn` batches
 * the dispatcher yields the host (timers, sockets) and continues.
 * Invariant: a runnable is in the queue at most once (its `queued` flag).
 */
export class Dispatcher {
  private ring: (Runnable | undefined)[] = new Array<Runnable | undefined>(64);
  private head = 0;
  private count = 0;
  private scheduled = false;
  private readonly drainFn = (): void => this.drain();

  /**
   * `schedule` starts a drain soon after work arrives; `yieldToHost` continues
   * one after a full turn, so a busy actor system never starves the host.
   */
  constructor(
    private readonly schedule: Schedule,
    private readonly options: DispatcherOptions = DEFAULT_DISPATCHER,
    private readonly yieldToHost: Schedule = schedule,
  ) {}

  get pending(): number {
    return this.count;
  }

  enqueue(r: Runnable): void {
    if (r.queued) return;
    r.queued = true;
    if (this.count === this.ring.length) this.grow();
    this.ring[(this.head + this.count) & (this.ring.length - 1)] = r;
    this.count++;
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.drainFn);
    }
  }

  /** Runs queued batches; public so a simulator can drive it directly. */
  drain(): void {
    // `scheduled` stays set while draining: work queued meanwhile is taken by
    // this loop or by the yielded continuation, never by a second drain
    // queued as a microtask (a chain of those would starve the host).
    this.scheduled = true;
    const { throughput } = this.options;
    let budget = this.options.batchesPerTurn;
    while (budget-- > 0 && this.count > 0) {
      const r = this.ring[this.head]!;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) & (this.ring.length - 1);
      this.count--;
      r.queued = false;
      r.run(throughput);
    }
    // A burst (a million spawns) should not pin a large queue forever.
    if (this.count === 0 && this.ring.length > SHRINK_ABOVE) {
      this.ring = new Array<Runnable | undefined>(64);
      this.head = 0;
    }
    this.scheduled = this.count > 0;
    if (this.scheduled) this.yieldToHost(this.drainFn);
  }

  private grow(): void {
    const n = new Array<Runnable | undefined>(this.ring.length * 2);
    for (let i = 0; i < this.count; i++) n[i] = this.ring[(this.head + i) & (this.ring.length - 1)];
    this.ring = n;
    this.head = 0;
  }
}
