// Restart back-off of one container: each restart after trouble (an exit the
// restart policy restarts, or a failed start) waits twice as long as the one
// before, up to a cap; a container that ran long enough without trouble
// starts again from the first delay.

/** The restart back-off parameters of a node. */
export interface RestartBackoff {
  /** The wait before the first restart. Default 1 s. */
  readonly initialMs: number;
  /** The longest wait. Default 5 min. */
  readonly maxMs: number;
  /** A container that ran this long before its trouble restarts after `initialMs` again. Default 10 min. */
  readonly resetAfterMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = { initialMs: 1_000, maxMs: 300_000, resetAfterMs: 600_000 };

/** One trouble of a container that calls for a restart. */
export interface Trouble {
  /** Names the trouble uniquely: `exit:<container id>` or `start:<attempt>:<atMs>`. */
  readonly key: string;
  /** When it happened (the exit's finish time, or the failed start's time). */
  readonly atMs: number;
  /** How long the attempt ran before it (0 for a failed start). */
  readonly ranMs: number;
}

/** The back-off decided for one trouble of a container. */
export interface BackoffEntry {
  /** The trouble this entry answers (`Trouble.key`). */
  readonly troubleKey: string;
  readonly delayMs: number;
  /** `atMs + delayMs` of the trouble: the restart waits until then. */
  readonly restartAtMs: number;
}

/**
 * The back-off for `trouble`, given the entry of the container's previous
 * trouble. The same trouble gives the same entry (so a sync can run any
 * number of times); a new one doubles the delay, or resets it if the
 * attempt ran `resetAfterMs` or more.
 */
export function nextBackoff(previous: BackoffEntry | undefined, trouble: Trouble, params: RestartBackoff): BackoffEntry {
  if (previous !== undefined && previous.troubleKey === trouble.key) return previous;
  const reset = previous === undefined || trouble.ranMs >= params.resetAfterMs;
  const delayMs = reset ? Math.min(params.initialMs, params.maxMs) : Math.min(previous.delayMs * 2, params.maxMs);
  return { troubleKey: trouble.key, delayMs, restartAtMs: trouble.atMs + delayMs };
}

/** A delay as Go prints durations, as Kubernetes' messages show them: `500ms`, `4s`, `1m4s`, `5m0s`, `1h0m0s`. */
export function formatDelay(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
