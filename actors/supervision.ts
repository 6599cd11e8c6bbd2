import type { Random } from './world/random.js';

/** What a parent does with a child that failed. */
export type Directive = 'resume' | 'restart' | 'stop' | 'escalate';

/** Exponential restart back-off: minMs * factor^n, capped, with +-jitter. */
export interface Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** Fraction of the delay added or removed at random, in [0, 1]. */
  readonly jitter: number;
}

/**
 * How a parent supervises its children. `one-for-one` applies the directive
 * to the failed child only; `all-for-one` restarts or stops its siblings too.
 */
export interface SupervisorStrategy {
  readonly kind: 'one-for-one' | 'all-for-one';
  readonly decide: (error: unknown) => Directive;
  /** More restarts than this within `withinMs` stops the child instead. */
  readonly maxRestarts: number;
  readonly withinMs: number;
  readonly backoff: Backoff;
}

export const DEFAULT_BACKOFF: Backoff = { minMs: 10, maxMs: 10_000, factor: 2, jitter: 0.2 };

const restartAlways = (): Directive => 'restart';

function strategy(kind: SupervisorStrategy['kind'], opts: Partial<SupervisorStrategy>): SupervisorStrategy {
  return {
    kind,
    decide: opts.decide ?? restartAlways,
    maxRestarts: opts.maxRestarts ?? 10,
    withinMs: opts.withinMs ?? 60_000,
    backoff: { ...DEFAULT_BACKOFF, ...opts.backoff },
  };
}

/** Builders for supervisor strategies. */
export const Supervision = {
  oneForOne: (opts: Partial<SupervisorStrategy> = {}): SupervisorStrategy => strategy('one-for-one', opts),
  allForOne: (opts: Partial<SupervisorStrategy> = {}): SupervisorStrategy => strategy('all-for-one', opts),
} as const;

export const DEFAULT_STRATEGY: SupervisorStrategy = Supervision.oneForOne();

/** The delay before restart number `attempt` (0-based). */
export function backoffDelayMs(b: Backoff, attempt: number, random: Random): number {
  const base = Math.min(b.maxMs, b.minMs * Math.pow(b.factor, attempt));
  const j = b.jitter > 0 ? 1 + b.jitter * (2 * random.next() - 1) : 1;
  return Math.max(0, Math.round(base * j));
}

/**
 * Restart bookkeeping for one child: the times of its recent restarts.
 * Returns the attempt number of the next restart, or -1 when the limit is hit.
 */
export function recordRestart(times: number[], nowMs: number, s: SupervisorStrategy): number {
  while (times.length > 0 && times[0]! <= nowMs - s.withinMs) times.shift();
  if (times.length >= s.maxRestarts) return -1;
  times.push(nowMs);
  return times.length - 1;
}
