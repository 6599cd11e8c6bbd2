import type { Clock, TimerHandle } from '../../../../actors/index.js';

interface ManualTimer extends TimerHandle {
  readonly dueMs: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** A clock that moves only when told: `advance(ms)` fires what falls due, in order. */
export class ManualClock implements Clock {
  private nowMs: number;
  private timers: ManualTimer[] = [];

  constructor(startMs = 1_000_000) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const t: ManualTimer = { __timer: true, dueMs: this.nowMs + Math.max(0, delayMs), fn, cancelled: false };
    this.timers.push(t);
    return t;
  }

  cancelTimer(handle: TimerHandle): void {
    (handle as ManualTimer).cancelled = true;
  }

  /** Timers set and neither fired nor cancelled. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.dueMs <= until).sort((a, b) => a.dueMs - b.dueMs)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.nowMs = due.dueMs;
      due.fn();
    }
    this.nowMs = until;
    this.timers = this.timers.filter((t) => !t.cancelled);
  }
}
