import type { Clock, TimerHandle } from './clock.js';

interface VirtualTimer extends TimerHandle {
  readonly dueMs: number;
  readonly seq: number;
  fn: (() => void) | null;
}

/** The simulated epoch: 2026-01-01T00:00:00Z, so logs read as real dates. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

/**
 * A clock that only moves when the simulator moves it. Timers fire in order
 * of due time, ties broken by creation order, so a run is a pure function of
 * its inputs. Invariant: no pending timer is due before now().
 */
export class VirtualClock implements Clock {
  private nowMs: number;
  private seq = 0;
  // A binary min-heap on (dueMs, seq).
  private readonly heap: VirtualTimer[] = [];

  constructor(startMs: number = SIM_EPOCH_MS) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer: VirtualTimer = { __timer: true, dueMs: this.nowMs + Math.max(0, delayMs), seq: this.seq++, fn };
    this.push(timer);
    return timer;
  }

  cancelTimer(handle: TimerHandle): void {
    // Lazy deletion: the heap drops cancelled timers when they reach the top.
    (handle as VirtualTimer).fn = null;
  }

  /** Due time of the earliest pending timer, or undefined when none is pending. */
  nextDueMs(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.dueMs;
  }

  /** Number of live timers (for tests and leak checks). */
  pendingTimers(): number {
    return this.heap.filter((t) => t.fn !== null).length;
  }

  /**
   * Moves time to the earliest timer (if it is due no later than `limitMs`)
   * and fires every timer due at that instant. Returns false when nothing fired.
   */
  fireNext(limitMs: number = Number.POSITIVE_INFINITY): boolean {
    const due = this.nextDueMs();
    if (due === undefined || due > limitMs) return false;
    this.nowMs = Math.max(this.nowMs, due);
    while (this.heap.length > 0 && this.heap[0]!.dueMs <= this.nowMs) {
      const timer = this.pop()!;
      const fn = timer.fn;
      timer.fn = null;
      fn?.();
    }
    return true;
  }

  /** Moves time forward without firing anything (the caller fires what is due). */
  advanceTo(ms: number): void {
    if (ms > this.nowMs) this.nowMs = ms;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.fn === null) this.pop();
  }

  private less(a: VirtualTimer, b: VirtualTimer): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
  }

  private push(t: VirtualTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): VirtualTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
