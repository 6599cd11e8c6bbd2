// The attempts of one container of a pod as the runtime reports them, sorted
// into the one the status is about, the one before it, and the rest.

import type { RestartPolicy } from '../../core/api/index.js';
import type { ContainerInfo } from '../runtime/index.js';

/** The attempts of one container, by role. */
export interface ContainerAttempts {
  /** The highest attempt that has run (running or exited): the status is about it. */
  readonly latest?: ContainerInfo;
  /** The most recent exited attempt before `latest`: its `lastState`, and what `logs --previous` shows. */
  readonly previous?: ContainerInfo;
  /**
   * Everything else: older exited attempts (to remove), running attempts
   * below the latest (strays, to stop), and containers created but never
   * started (left by an agent that died mid-start, to remove).
   */
  readonly stale: readonly ContainerInfo[];
  /** The attempt number the next start uses: one above every attempt seen, 0 if none. */
  readonly nextAttempt: number;
}

/** Highest attempt first; ties (which the runtime should not produce) by start time, then id, for a stable order. */
function byAttemptDesc(a: ContainerInfo, b: ContainerInfo): number {
  return b.attempt - a.attempt || (b.startedAtMs ?? 0) - (a.startedAtMs ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Sorts the runtime's containers of one container name (all attempts) by role. */
export function groupAttempts(containers: readonly ContainerInfo[]): ContainerAttempts {
  const sorted = [...containers].sort(byAttemptDesc);
  const nextAttempt = sorted.length === 0 ? 0 : sorted[0]!.attempt + 1;
  const ran = sorted.filter((c) => c.state !== 'created');
  const latest = ran[0];
  const previous = ran.slice(1).find((c) => c.state === 'exited');
  const stale = sorted.filter((c) => c !== latest && c !== previous);
  return { ...(latest !== undefined ? { latest } : {}), ...(previous !== undefined ? { previous } : {}), stale, nextAttempt };
}

/** The exit code an exited container counts as: its own, else 128 + the signal that ended it, else -1 (unknown: a failure). */
export function exitCodeOf(info: ContainerInfo): number {
  if (info.exitCode !== undefined) return info.exitCode;
  if (info.signal !== undefined) return 128 + info.signal;
  return -1;
}

/** Whether a container that exited with `exitCode` is started again under `policy`. */
export function shouldRestart(policy: RestartPolicy, exitCode: number): boolean {
  switch (policy) {
    case 'Always':
      return true;
    case 'OnFailure':
      return exitCode !== 0;
    case 'Never':
      return false;
  }
}
