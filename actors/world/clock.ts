/**
 * Time as the actors see it. Code under actors/, raft/, core/ and nodes/ reads
 * time and sets timers only through a Clock, so the same code runs on the
 * wall clock in production and on a virtual clock in simulation.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (virtual in simulation). */
  now(): number;
  /** Runs `fn` once after `delayMs` (>= 0). */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  /** Cancels a timer; cancelling a fired or cancelled timer does nothing. */
  cancelTimer(handle: TimerHandle): void;
}

/** An opaque handle for a pending timer. */
export interface TimerHandle {
  readonly __timer: true;
}

/**
 * Runs callbacks "soon", after the current turn: the host event loop's
 * macrotask queue in the real world, the simulator's ready queue in simulation.
 */
export type Schedule = (fn: () => void) => void;
