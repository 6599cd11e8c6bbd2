import type { Timers } from './context.js';
import { TimerFire } from './messages.js';
import type { Clock, TimerHandle } from './world/clock.js';

interface TimerEntry {
  handle: TimerHandle;
  readonly generation: number;
  readonly periodic: boolean;
}

/** Marks a timer message that was cancelled or replaced after it was queued. */
export const STALE_TIMER: unique symbol = Symbol('stale-timer');

/**
 * The keyed timers of one actor. A timer enqueues a TimerFire into the
 * actor's own mailbox; `accept` unwraps it at delivery and drops it if the
 * key was cancelled or restarted since (generation mismatch).
 */
export class ActorTimers<M> implements Timers<M> {
  private readonly entries = new Map<string, TimerEntry>();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly enqueue: (fire: TimerFire) => void,
  ) {}

  startSingle(key: string, message: M, delayMs: number): void {
    this.start(key, message, delayMs, false);
  }

  startPeriodic(key: string, message: M, intervalMs: number): void {
    if (!(intervalMs > 0)) throw new RangeError(`startPeriodic(${key}): intervalMs must be > 0, got ${intervalMs}`);
    this.start(key, message, intervalMs, true);
  }

  cancel(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    this.clock.cancelTimer(e.handle);
    this.entries.delete(key);
  }

  cancelAll(): void {
    for (const e of this.entries.values()) this.clock.cancelTimer(e.handle);
    this.entries.clear();
  }

  isActive(key: string): boolean {
    return this.entries.has(key);
  }

  /** The message to deliver for a fire, or STALE_TIMER to drop it. */
  accept(fire: TimerFire): unknown {
    const e = this.entries.get(fire.key);
    if (e === undefined || e.generation !== fire.generation) return STALE_TIMER;
    if (!e.periodic) this.entries.delete(fire.key);
    return fire.message;
  }

  private start(key: string, message: M, delayMs: number, periodic: boolean): void {
    this.cancel(key);
    const generation = ++this.generation;
    const fire = new TimerFire(key, generation, message);
    const entry: TimerEntry = {
      generation,
      periodic,
      handle: this.clock.setTimer(delayMs, () => this.fired(entry, fire, delayMs)),
    };
    this.entries.set(key, entry);
  }

  private fired(entry: TimerEntry, fire: TimerFire, delayMs: number): void {
    if (this.entries.get(fire.key) !== entry) return;
    // Fixed delay between fires: the next one is armed when this one fires.
    if (entry.periodic) entry.handle = this.clock.setTimer(delayMs, () => this.fired(entry, fire, delayMs));
    this.enqueue(fire);
  }
}
