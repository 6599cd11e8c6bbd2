import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

// Linux only: a process is known by its pid AND its start time (field 22 of
// /proc/<pid>/stat, in clock ticks since boot), since a pid is reused once
// its process is gone. An adopted container whose pid now names another
// process must be reported exited, and never signalled.

/** What the runtime reads of /proc/<pid>/stat. */
export interface ProcStat {
  /** One letter: R running, S sleeping, D disk wait, Z zombie, T stopped, X dead... */
  readonly state: string;
  /** The process group. */
  readonly pgrp: number;
  /** Clock ticks since boot when the process started, as written (decimal). */
  readonly startTime: string;
}

/** Parses the text of /proc/<pid>/stat; undefined when it is not in that format. */
export function parseProcStat(text: string): ProcStat | undefined {
  // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const startTime = fields[19];
  if (state === undefined || !/^[A-Za-z]$/.test(state)) return undefined;
  if (!Number.isSafeInteger(pgrp) || startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  return { state, pgrp, startTime };
}

/** /proc/<pid>/stat now, or undefined when there is no such process. */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The same, synchronously: right after spawn, before Node can reap a child that exits at once. */
export function readProcStatSync(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when `stat` is the live process that started at `startTime` (a zombie has ended). */
export function isLiveProcess(stat: ProcStat | undefined, startTime: string): boolean {
  return stat !== undefined && stat.startTime === startTime && stat.state !== 'Z' && stat.state !== 'X' && stat.state !== 'x';
}
