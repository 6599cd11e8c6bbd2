import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { registerChild, signalGroup, stopChild } from '../../chaos/launcher/child-registry.js';

// The parent's side of a TypeScript child process run with tsx. The child
// (see child-io.ts) writes one JSON event per stdout line and reads one JSON
// command per stdin line; every command carries an `id` and is answered by a
// `{ event: 'reply', id, ok, ... }` event.

/** One line of a child's stdout, parsed. `event` names what happened. */
export interface ChildEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

/** How a child ended: an exit code, or the signal that killed it. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnTsOptions {
  /** Arguments after the script path. */
  readonly args?: readonly string[];
  /** Added to this process's environment (DROVER_LOG_LEVEL defaults to `error`). */
  readonly env?: Readonly<Record<string, string>>;
  /** A name for error messages; default the script's file name. */
  readonly label?: string;
  /** Copy the child's stderr to ours as it arrives (default: env DROVER_TEST_VERBOSE). */
  readonly echoStderr?: boolean;
  /** The script is compiled JavaScript: run it with plain `node`, without tsx (as production does). */
  readonly compiled?: boolean;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STDERR_TAIL_LINES = 40;

interface Waiter {
  readonly match: (e: ChildEvent) => boolean;
  readonly resolve: (e: ChildEvent) => void;
  readonly reject: (e: Error) => void;
}

/**
 * A `node --import tsx <script>` child in its own process group, registered
 * with the chaos launcher's registry so it dies with this process.
 * Invariant: every waiter is settled: by a matching event, its timeout, or
 * the child's exit.
 */
export class TsChild {
  readonly label: string;
  /** Every event so far, in arrival order. */
  readonly events: ChildEvent[] = [];
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<Waiter>();
  private readonly stderrLines: string[] = [];
  private readonly noise: string[] = [];
  private exit: ChildExit | null = null;
  private nextId = 1;

  private constructor(scriptPath: string, options: SpawnTsOptions) {
    this.label = options.label ?? scriptPath.split('/').pop()!;
    const echo = options.echoStderr ?? process.env['DROVER_TEST_VERBOSE'] !== undefined;
    this.child = spawn(process.execPath, [...(options.compiled ? [] : ['--import', 'tsx']), scriptPath, ...(options.args ?? [])], {
      cwd: REPO_ROOT,
      env: { ...process.env, DROVER_LOG_LEVEL: 'error', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group, so a signal reaches all of it
    });
    registerChild(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.failWaiters(new Error(`${this.label} exited (${this.describeExit()}) before the awaited event`));
        resolve(this.exit);
      });
    });
    // Writing to a child that has just died raises EPIPE; its exit is reported elsewhere.
    this.child.stdin!.on('error', () => undefined);
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_TAIL_LINES) this.stderrLines.shift();
      if (echo) process.stderr.write(`[${this.label}] ${line}\n`);
    });
  }

  /** Starts `node --import tsx scriptPath ...args`. */
  static spawn(scriptPath: string, options: SpawnTsOptions = {}): TsChild {
    return new TsChild(scriptPath, options);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get hasExited(): boolean {
    return this.exit !== null;
  }

  /** The first event (already seen or still to come) that matches. */
  waitFor(match: string | ((e: ChildEvent) => boolean), timeoutMs = 20_000): Promise<ChildEvent> {
    const pred = typeof match === 'string' ? (e: ChildEvent) => e.event === match : match;
    const seen = this.events.find(pred);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.exit !== null) return Promise.reject(new Error(`${this.label} has exited (${this.describeExit()})${this.diagnostics()}`));
    const what = typeof match === 'string' ? `event "${match}"` : 'a matching event';
    return new Promise<ChildEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.label}: no ${what} within ${timeoutMs} ms${this.diagnostics()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match: pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(new Error(`${e.message}${this.diagnostics()}`));
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Writes one command line to the child's stdin (no reply awaited). */
  send(command: Readonly<Record<string, unknown>>): void {
    if (this.exit !== null) throw new Error(`${this.label} has exited (${this.describeExit()})`);
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** Sends a command and resolves with the child's reply (rejects on `ok: false`). */
  async request<T = ChildEvent>(command: Readonly<Record<string, unknown>>, timeoutMs = 20_000): Promise<T> {
    const id = this.nextId++;
    this.send({ ...command, id });
    const reply = await this.waitFor((e) => e.event === 'reply' && e['id'] === id, timeoutMs);
    if (reply['ok'] !== true) throw new Error(`${this.label} failed ${JSON.stringify(command)}: ${String(reply['error'])}`);
    return reply as unknown as T;
  }

  /** Sends `signal` to the child's process group and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ChildExit> {
    if (this.exit === null) signalGroup(this.child, signal);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Safe to call twice. */
  async stop(graceMs = 3_000): Promise<ChildExit> {
    this.child.stdin!.end();
    await stopChild(this.child, graceMs);
    return this.exited;
  }

  /** The child's last stderr lines and any stdout lines that were not JSON. */
  diagnostics(): string {
    const parts: string[] = [];
    if (this.stderrLines.length > 0) parts.push(`\n--- ${this.label} stderr (tail) ---\n${this.stderrLines.join('\n')}`);
    if (this.noise.length > 0) parts.push(`\n--- ${this.label} non-JSON stdout ---\n${this.noise.slice(-STDERR_TAIL_LINES).join('\n')}`);
    return parts.join('');
  }

  private onLine(line: string): void {
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      this.noise.push(line);
      return;
    }
    if (typeof e !== 'object' || e === null || typeof (e as { event?: unknown }).event !== 'string') {
      this.noise.push(line);
      return;
    }
    const event = e as ChildEvent;
    this.events.push(event);
    for (const w of [...this.waiters]) {
      if (w.match(event)) {
        this.waiters.delete(w);
        w.resolve(event);
      }
    }
  }

  private failWaiters(err: Error): void {
    for (const w of this.waiters) w.reject(err);
    this.waiters.clear();
  }

  private describeExit(): string {
    if (this.exit === null) return 'running';
    return this.exit.signal !== null ? `signal ${this.exit.signal}` : `code ${this.exit.code}`;
  }
}
