import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { registerChild, stopChild } from '../launcher/child-registry.js';
import { formatLogLine } from './log-line.js';
import { printErrorLine, printLine } from './output.js';
import type { PeerEvent, PeerRole } from './peer.js';

/** How to start one peer process: the composition root knows its own executable. */
export interface PeerCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** How a process ended: an exit code, or the signal that ended it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
}

/**
 * The launcher's handle on one peer: a child in its own process group (so a
 * Ctrl-C at the terminal reaches only the launcher, which stops the peers in
 * order), with an IPC channel for `ready` and whose closing tells the peer
 * its launcher is gone. Its stdout and stderr are relayed line by line under
 * its role's name; pino lines on stderr are shortened to text.
 */
export class PeerProcess {
  /** Resolves when the peer says it is ready (never if it dies first; see `closed`). */
  readonly ready: Promise<void>;
  /** Resolves once the process has exited and its output is relayed (never rejects). */
  readonly closed: Promise<ProcessExit>;
  private readonly child: ChildProcess;

  constructor(
    readonly role: PeerRole,
    command: PeerCommand,
    env: Readonly<Record<string, string>>,
  ) {
    this.child = spawn(command.command, [...command.args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    registerChild(this.child);
    this.ready = new Promise((resolve) => {
      this.child.on('message', (m: PeerEvent | null) => {
        if (m?.type === 'ready') resolve();
      });
    });
    // 'close' comes after 'exit', once stdout and stderr are drained.
    this.closed = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
    // A spawn that fails (say, a bad executable) ends in 'close' too; this just keeps it from throwing.
    this.child.once('error', (e) => printErrorLine(role, `could not run ${command.command}: ${e.message}`));
    createInterface({ input: this.child.stdout! }).on('line', (line) => printLine(role, line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => printErrorLine(role, formatLogLine(line)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the process has exited. */
  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it is gone. */
  async stop(graceMs: number): Promise<ProcessExit> {
    await stopChild(this.child, graceMs);
    return this.closed;
  }
}
