import type { ChildProcess } from 'node:child_process';

// Every child a launcher starts is listed here, so that an exit of this
// process, normal or by Ctrl-C/SIGTERM, takes them all down with it.
const children = new Set<ChildProcess>();
let hooked = false;
// Set by a program that stops its children itself, in order, on a signal.
let signalsLeftToCaller = false;

function killAll(signal: NodeJS.Signals): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        // Children run in their own process group: kill the whole group.
        process.kill(-c.pid!, signal);
      } catch {
        c.kill(signal);
      }
    }
  }
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      if (signalsLeftToCaller) return;
      killAll('SIGTERM');
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * For a program with its own SIGINT/SIGTERM/SIGHUP handlers that stop its
 * children gracefully and in order: the registry then neither kills them nor
 * exits on those signals. Its last resort stays: SIGKILL to every child still
 * running when this process exits.
 */
export function leaveSignalsToCaller(): void {
  signalsLeftToCaller = true;
}

/** Tracks a child until it exits; it is killed if this process exits first. */
export function registerChild(child: ChildProcess): void {
  hook();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Stops a child: SIGTERM to its group, SIGKILL after `graceMs`. Resolves on exit. */
export function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });
}

/** Sends a signal to a child's process group (falls back to the child alone). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}
