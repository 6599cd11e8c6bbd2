import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { withTimeout } from '../support/async.js';

// `drover start` end to end, from the sources (no build): the demo runs, and
// a Ctrl-C stops every process it started and exits 0.

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXIT_BOUND_MS = 10_000;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** `drover start` in its own process group, as a shell runs a foreground job. */
class Launcher {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'bin/drover.ts', 'start'], {
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
function liveProcessesInGroup(pgid: number): number[] {
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

const pongs = (lines: readonly string[]): number => lines.filter((l) => /^\[alpha\]\s+pong \d+ from beta/.test(l)).length;
const restarts = (lines: readonly string[]): number => lines.filter((l) => /^\[beta\]\s+worker restarted/.test(l)).length;

describe('drover start', () => {
  let launcher: Launcher | undefined;
  let groups: number[] = [];

  afterEach(() => {
    // Whatever the test left running (it should be nothing) dies here.
    for (const pgid of groups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    launcher = undefined;
    groups = [];
  });

  it('runs the ping-pong and the supervised worker, and on Ctrl-C stops everything it started and exits 0', async () => {
    launcher = new Launcher();
    groups.push(launcher.pid);
    await launcher.waitUntil('2 pongs and a worker restart', (lines) => pongs(lines) >= 2 && restarts(lines) >= 1, 15_000);
    // Every child runs in a process group of its own (it leads it).
    const children = { 'nats-server': launcher.printedPid('nats-server'), beta: launcher.printedPid('beta'), alpha: launcher.printedPid('alpha') };
    groups.push(...Object.values(children));
    for (const [name, pid] of Object.entries(children)) expect(liveProcessesInGroup(pid), `${name} is running`).toContain(pid);

    // A Ctrl-C at a terminal signals the foreground process group: the launcher's.
    process.kill(-launcher.pid, 'SIGINT');
    const exit = await withTimeout(launcher.exited, EXIT_BOUND_MS, 'drover start exiting after SIGINT').catch((e: Error) => {
      throw new Error(`${e.message}; output:\n${launcher!.output()}`);
    });

    expect(exit, launcher.output()).toEqual({ code: 0, signal: null });
    expect(launcher.lines).toContainEqual(expect.stringMatching(/^\[beta\]\s+actor system beta terminated/));
    expect(launcher.lines).toContainEqual(expect.stringMatching(/^\[alpha\]\s+actor system alpha terminated/));
    expect(launcher.lines).toContainEqual(expect.stringMatching(/^\[drover\]\s+all stopped$/));
    for (const pgid of groups) expect(liveProcessesInGroup(pgid), `processes left in group ${pgid}`).toEqual([]);
  }, 20_000);
});
