// How much of the machine other work took while a suite ran: every second,
// the CPU time each process outside our tree (this process and its
// descendants) used, from /proc/<pid>/stat, over the CPU capacity of the
// interval (/proc/stat). Processes that start and end within one interval
// are missed. Linux only; elsewhere it reports nothing.

import { readFileSync, readdirSync } from 'node:fs';

/** Total CPU ticks of all CPUs since boot (idle included). */
function capacityTicks(): number | null {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 8).map(Number);
    return v.reduce((a, b) => a + b, 0);
  } catch {
    return null;
  }
}

interface Proc {
  readonly ppid: number;
  readonly ticks: number;
  readonly start: number;
}

/** Every process: parent, CPU ticks used so far, start time (to tell a reused pid). */
function processes(): Map<number, Proc> {
  const all = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const s = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After "pid (comm) ": state ppid pgrp ... utime stime (fields 14, 15) ... starttime (22).
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      all.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), start: Number(f[19]) });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

function isOurs(pid: number, all: Map<number, Proc>): boolean {
  for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = all.get(p)?.ppid, hops++) {
    if (p === process.pid) return true;
  }
  return false;
}

/** Samples until stopped; `stop()` gives the mean share of all CPUs others used (0..1), or null. */
export function watchOtherLoad(intervalMs = 1_000): { stop(): number | null } {
  const cap0 = capacityTicks();
  if (cap0 === null) return { stop: () => null };
  let prevCap = cap0;
  let prev = processes();
  let others = 0;
  let capacity = 0;
  const sample = (): void => {
    const cap = capacityTicks()!;
    const now = processes();
    for (const [pid, p] of now) {
      if (isOurs(pid, now)) continue;
      const before = prev.get(pid);
      others += before !== undefined && before.start === p.start ? p.ticks - before.ticks : p.ticks;
    }
    capacity += cap - prevCap;
    prevCap = cap;
    prev = now;
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return capacity > 0 ? Math.min(1, others / capacity) : null;
    },
  };
}
