import { spawn } from 'node:child_process';
import type { Clock } from '../../../actors/index.js';
import { OutputCollector } from '../output-limit.js';
import type { ExecResult } from '../types.js';
import { exitCodeForSignal, signalGroup, signalNumber } from './signals.js';

/** The exit code reported for a command that is not found, as a shell reports it. */
export const COMMAND_NOT_FOUND_EXIT_CODE = 127;

export interface ExecRequest {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly clock: Clock;
}

/**
 * Runs a command in a process container's environment and directory (there
 * is no isolation to enter). It gets its own process group, so a timeout
 * kills it and everything it started. Never rejects for the command's sake:
 * a missing program is exit code 127, a timeout is `timedOut` (exit 137).
 */
export function execInProcessContainer(request: ExecRequest): Promise<ExecResult> {
  const [program, ...args] = request.argv;
  if (program === undefined) throw new Error('exec: empty command');
  const output = new OutputCollector();
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    const child = spawn(program, args, {
      cwd: request.cwd,
      env: { ...request.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = request.clock.setTimer(request.timeoutMs, () => {
      timedOut = true;
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    });
    const settle = (result: ExecResult): void => {
      if (settled) return;
      settled = true;
      request.clock.cancelTimer(timer);
      resolve(result);
    };
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', (e: NodeJS.ErrnoException) => {
      const notFound = e.code === 'ENOENT' || e.code === 'EACCES';
      output.push(`${program}: ${notFound ? 'not found' : e.message}\n`);
      settle({ exitCode: notFound ? COMMAND_NOT_FOUND_EXIT_CODE : 126, output: output.text(), timedOut: false });
    });
    // 'close', not 'exit': the output is all read by then.
    child.once('close', (code, signal) => {
      // A timed-out command is killed with its group; anything it left is gone too.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      const signo = signal !== null ? signalNumber(signal) : undefined;
      const exitCode = code ?? (signo !== undefined ? exitCodeForSignal(signo) : 1);
      settle({ exitCode, output: output.text(), timedOut });
    });
  });
}
