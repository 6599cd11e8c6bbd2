import { constants } from 'node:os';

/** The number of a signal name (SIGKILL -> 9), or undefined for an unknown name. */
export function signalNumber(name: string): number | undefined {
  return (constants.signals as Readonly<Record<string, number | undefined>>)[name];
}

/** The exit code a shell would report for a process ended by signal `signo`. */
export function exitCodeForSignal(signo: number): number {
  return 128 + signo;
}

/**
 * Sends `signal` to the process group `pgid` (every process of a container).
 * False when it reached no process: none of the group is left (ESRCH), or
 * the group is not ours to signal (EPERM: the id now names a stranger's).
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  // kill(0) is our own group and kill(-1) every process we may signal: never.
  if (!Number.isSafeInteger(pgid) || pgid < 2) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
