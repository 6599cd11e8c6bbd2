import type { Clock, Schedule, TimerHandle } from './clock.js';

// The one file that touches the host's clock, timers and event loop: every
// other file of the deterministic layers takes them from its context.

interface WallTimer extends TimerHandle {
  readonly timeout: NodeJS.Timeout;
}

/** The real world's clock: Date.now and Node's timers. */
export class WallClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timeout = setTimeout(fn, Math.max(0, delayMs));
    return { __timer: true, timeout } as WallTimer;
  }

  cancelTimer(handle: TimerHandle): void {
    clearTimeout((handle as WallTimer).timeout);
  }
}

/**
 * Runs work right after the current turn (a microtask): the actors' answer to
 * a message that just arrived goes out without waiting for an event-loop turn,
 * and everything queued in one synchronous run is still handled as one batch.
 */
export const scheduleOnHost: Schedule = (fn) => {
  queueMicrotask(fn);
};

/** Yields to the host (one macrotask), so timers and sockets get their turn. */
export const yieldToHost: Schedule = (fn) => {
  setImmediate(fn);
};

/** Resolves after the host has run every pending microtask. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A monotonic high-resolution reading in milliseconds, for measurements only. */
export function monotonicMs(): number {
  return performance.now();
}
