import type { Clock, TimerHandle } from '../world/clock.js';

/**
 * One system's view of the shared virtual clock. When the system crashes its
 * pending timers never fire, as a killed process's would not.
 */
export class ScopedClock implements Clock {
  alive = true;

  constructor(private readonly inner: Clock) {}

  now(): number {
    return this.inner.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.inner.setTimer(delayMs, () => {
      if (this.alive) fn();
    });
  }

  cancelTimer(handle: TimerHandle): void {
    this.inner.cancelTimer(handle);
  }
}
