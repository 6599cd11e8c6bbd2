import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../support/async.js';

// The parent's side of a `drover` command run end to end from the sources,
// as a shell runs a foreground job; and what /proc says is left running.

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** `drover start` in its own process group, as a shell runs a foreground job. */
export class Launcher {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'bin/drover.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        for (const w of [...this.waiters]) w();
      });
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves once `done(lines)` holds; rejects with the output so far after `timeoutMs`. */
  waitUntil(what: string, done: (lines: readonly string[]) => boolean, timeoutMs: number): Promise<void> {
    const reached = new Promise<void>((resolve) => {
      const check = (): void => {
        if (!done(this.lines)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
    // The message is built when the limit hits, so it shows the output up to then.
    return withTimeout(reached, timeoutMs, what).catch((e: Error) => {
      throw new Error(`${e.message}; output so far:\n${this.output()}`);
    });
  }

  /** The pid printed for `name` (`nats-server (pid N)`, `beta starting (pid N)`). */
  printedPid(name: string): number {
    const re = new RegExp(`^\\[drover\\]\\s+${name}\\b.*\\(pid (\\d+)\\)`);
    for (const line of this.lines) {
      const m = re.exec(line);
      if (m) return Number(m[1]);
    }
    throw new Error(`no pid printed for ${name}:\n${this.output()}`);
  }

  output(): string {
    return this.lines.join('\n');
  }
}

/** Pids of the live (not zombie) processes in process group `pgid`, read from /proc. */
export function liveProcessesInGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') found.push(Number(entry));
  }
  return found;
}

/** Pids of live processes whose command line contains `needle`. */
export function liveProcessesMatching(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(needle) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}
