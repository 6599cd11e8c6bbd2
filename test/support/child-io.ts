import { createInterface } from 'node:readline';

// The child's side of the protocol in ts-child.ts: JSON events on stdout, one
// per line, and JSON commands on stdin, each answered with a `reply` event
// carrying the command's `id`. Logs go to stderr (pino), never to stdout.

export interface ChildCommand {
  readonly id: number;
  readonly cmd: string;
  readonly [key: string]: unknown;
}

/** Writes one event line to stdout. */
export function emit(event: string, fields: Readonly<Record<string, unknown>> = {}): void {
  process.stdout.write(`${JSON.stringify({ ...fields, event })}\n`);
}

/**
 * Runs `handle` for each command line; what it returns (or throws) becomes the
 * reply. Commands run concurrently. When stdin closes (the parent ended it or
 * died) and on SIGTERM, `shutdown` runs once and the process exits.
 */
export function serveCommands(
  handle: (command: ChildCommand) => Promise<Record<string, unknown>>,
  shutdown: () => Promise<void>,
): void {
  let exiting = false;
  const exit = (): void => {
    if (exiting) return;
    exiting = true;
    emit('exiting');
    // A shutdown that hangs must not keep the child alive.
    setTimeout(() => process.exit(3), 5_000).unref();
    shutdown().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`shutdown failed: ${String(e)}\n`);
        process.exit(2);
      },
    );
  };
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      if (line.trim() === '') return;
      let command: ChildCommand;
      try {
        command = JSON.parse(line) as ChildCommand;
      } catch (e) {
        emit('reply', { id: null, ok: false, error: `not JSON: ${String(e)}` });
        return;
      }
      handle(command).then(
        (result) => emit('reply', { ...result, id: command.id, ok: true }),
        (e: unknown) => emit('reply', { id: command.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
      );
    })
    .on('close', exit);
  process.once('SIGTERM', exit);
}

/** An environment variable the parent must set. */
export function requireEnv(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`environment variable ${name} is not set`);
  return v;
}
