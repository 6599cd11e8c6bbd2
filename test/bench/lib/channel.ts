// Worker side of the IPC channel (see workers.ts). A worker exits when its
// parent goes away, reports uncaught errors as an 'error' message, and
// writes nothing on stdout (the runner routes it to stderr anyway).

import type { WorkerMessage } from './workers.js';

type Handler = (m: WorkerMessage) => void | Promise<void>;

const handlers = new Map<string, Handler>();
let stopHook: () => Promise<void> = () => Promise.resolve();

export function send(m: WorkerMessage): void {
  process.send?.(m);
}

function die(e: unknown): void {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`[worker ${process.pid}] ${message}\n`);
  try {
    send({ type: 'error', message });
  } finally {
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  }
}

/** Registers the handler for one type of message from the parent. */
export function on(type: string, h: Handler): void {
  handlers.set(type, h);
}

/** What to release when asked to stop (connections, systems). */
export function onStop(fn: () => Promise<void>): void {
  stopHook = fn;
}

/** Starts listening to the parent. Call once, after registering handlers. */
export function listen(): void {
  if (!process.send) throw new Error('a bench worker must be started by test/bench/run.ts (no IPC channel)');
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: WorkerMessage) => {
    if (m.type === 'stop') {
      stopHook()
        .catch(() => undefined)
        .finally(() => process.exit(0));
      return;
    }
    const h = handlers.get(m.type);
    if (!h) return die(new Error(`unknown message type ${m.type}`));
    try {
      const r = h(m);
      if (r) r.catch(die);
    } catch (e) {
      die(e);
    }
  });
}
