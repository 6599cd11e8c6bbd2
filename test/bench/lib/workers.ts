// Parent side of bench worker processes: `node --import tsx <file>` children
// talking over an IPC channel. Every worker is registered with the launcher's
// child registry, so an exit of the runner (normal, error, Ctrl-C) kills it,
// and a worker exits by itself when its parent's channel closes.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { registerChild, stopChild } from '../../../chaos/launcher/child-registry.js';

export interface WorkerMessage {
  readonly type: string;
  readonly [k: string]: unknown;
}

export interface WorkerOptions {
  /** Flags for node itself, e.g. `--expose-gc`. */
  readonly nodeFlags?: readonly string[];
  /** Arguments for the worker script. */
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
}

interface Waiter {
  readonly type: string;
  readonly resolve: (m: WorkerMessage) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** A child process running one bench worker script. */
export class Worker {
  private readonly inbox: WorkerMessage[] = [];
  private readonly waiters = new Set<Waiter>();
  private failure: Error | null = null;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.on('message', (m: WorkerMessage) => this.onMessage(m));
    child.once('exit', (code, signal) => {
      this.fail(new Error(`worker ${name} exited (code ${code}, signal ${signal})`));
    });
    child.once('error', (e) => this.fail(new Error(`worker ${name}: ${e.message}`)));
  }

  /** Starts `script` (a path relative to test/bench/workers/). */
  static start(name: string, script: string, options: WorkerOptions = {}): Worker {
    const file = fileURLToPath(new URL(`../workers/${script}`, import.meta.url));
    // BENCH_NODE_FLAGS adds node flags to every worker, e.g. `--cpu-prof --cpu-prof-dir=test/bench/out/prof`.
    const extra = (process.env['BENCH_NODE_FLAGS'] ?? '').split(/\s+/).filter((f) => f.length > 0);
    const child = spawn(process.execPath, [...extra, ...(options.nodeFlags ?? []), '--import', 'tsx', file, ...(options.args ?? [])], {
      // The worker's stdout goes to our stderr: our stdout carries figures only.
      stdio: ['ignore', process.stderr, 'inherit', 'ipc'],
      detached: true, // its own process group, so a group kill takes all of it
      env: { ...process.env, ...options.env },
    });
    registerChild(child);
    return new Worker(name, child);
  }

  send(m: WorkerMessage): void {
    if (this.failure) throw this.failure;
    this.child.send(m);
  }

  /** The next message of `type` from the worker (buffered ones first). */
  next<T extends WorkerMessage = WorkerMessage>(type: string, timeoutMs = 60_000): Promise<T> {
    const i = this.inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as T);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const w: Waiter = {
        type,
        resolve: resolve as (m: WorkerMessage) => void,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(w);
          reject(new Error(`worker ${this.name}: no '${type}' within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(w);
    });
  }

  /** Sends `m` and waits for the reply of type `replyType`. */
  request<T extends WorkerMessage = WorkerMessage>(m: WorkerMessage, replyType: string, timeoutMs?: number): Promise<T> {
    const p = this.next<T>(replyType, timeoutMs);
    this.send(m);
    return p;
  }

  /** Asks the worker to stop, then makes sure it has (SIGTERM, SIGKILL). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.connected) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      try {
        this.child.send({ type: 'stop' });
      } catch {
        // channel already gone
      }
      const t = new Promise<void>((r) => setTimeout(r, 5_000).unref());
      await Promise.race([exited, t]);
    }
    await stopChild(this.child, 2_000);
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'error') return this.fail(new Error(`worker ${this.name} failed: ${String(m['message'])}`));
    for (const w of this.waiters) {
      if (w.type === m.type) {
        this.waiters.delete(w);
        clearTimeout(w.timer);
        return w.resolve(m);
      }
    }
    this.inbox.push(m);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(this.failure);
    }
    this.waiters.clear();
  }
}

/** Things to stop when a suite ends, however it ends; stopped last-first. */
export class Cleanup {
  private readonly fns: (() => Promise<void>)[] = [];

  add(fn: () => Promise<void>): void {
    this.fns.push(fn);
  }

  worker(name: string, script: string, options?: WorkerOptions): Worker {
    const w = Worker.start(name, script, options);
    this.add(() => w.stop());
    return w;
  }

  async run(): Promise<void> {
    while (this.fns.length > 0) {
      const fn = this.fns.pop()!;
      await fn().catch((e: unknown) => process.stderr.write(`[bench] cleanup: ${String(e)}\n`));
    }
  }
}
