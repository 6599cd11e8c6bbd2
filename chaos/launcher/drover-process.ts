import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { registerChild, signalGroup, stopChild } from './child-registry.js';

/** How to run the `drover` executable: the composition root knows its own path and node flags. */
export interface DroverCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** One JSON line of a drover process's stdout (`{"event":"listening",...}`). */
export interface ProcessEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface DroverProcessOptions {
  /** A name for messages: m1, n2. */
  readonly label: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Each stderr line (pino JSON) as it comes, e.g. to print it. */
  readonly onStderr?: (line: string) => void;
}

const STDERR_TAIL = 30;

/**
 * One `drover master` or `drover node` child: in its own process group (so a
 * Ctrl-C at the terminal reaches only the launcher, which stops the children
 * in order), registered so it dies with the launcher, its stdout read as
 * JSON events and the tail of its stderr kept for error messages.
 */
export class DroverProcess {
  readonly events: ProcessEvent[] = [];
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly stderrTail: string[] = [];
  private readonly waiters = new Set<{ name: string; resolve: (e: ProcessEvent) => void; reject: (e: Error) => void }>();
  private done = false;

  constructor(
    cmd: DroverCommand,
    args: readonly string[],
    readonly options: DroverProcessOptions,
  ) {
    this.child = spawn(cmd.command, [...cmd.args, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    registerChild(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.done = true;
        for (const w of this.waiters) w.reject(new Error(`${options.label} exited (${signal ?? `code ${code}`}) before "${w.name}"${this.diagnostics()}`));
        this.waiters.clear();
        resolve({ code, signal });
      });
    });
    this.child.once('error', (e) => this.stderrTail.push(`could not start: ${e.message}`));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let e: ProcessEvent;
      try {
        e = JSON.parse(line) as ProcessEvent;
      } catch {
        return;
      }
      this.events.push(e);
      for (const w of [...this.waiters]) {
        if (w.name !== e.event) continue;
        this.waiters.delete(w);
        w.resolve(e);
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
      options.onStderr?.(line);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.done;
  }

  /** The first event named `name` (one that came already counts), or an error after `timeoutMs` or on exit. */
  waitFor(name: string, timeoutMs: number): Promise<ProcessEvent> {
    const seen = this.events.find((e) => e.event === name);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.done) return Promise.reject(new Error(`${this.options.label} has exited${this.diagnostics()}`));
    return new Promise((resolve, reject) => {
      const w = {
        name,
        resolve: (e: ProcessEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`${this.options.label}: no "${name}" within ${timeoutMs} ms${this.diagnostics()}`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    await stopChild(this.child, graceMs);
    await this.exited;
  }

  /** A signal to the whole group at once (kill -9 is `kill('SIGKILL')`). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.done) return;
    signalGroup(this.child, signal);
    if (signal === 'SIGKILL') await this.exited;
  }

  /** The last lines of stderr, for error messages. */
  diagnostics(): string {
    return this.stderrTail.length === 0 ? '' : `\n--- last stderr lines of ${this.options.label} ---\n${this.stderrTail.join('\n')}`;
  }
}
