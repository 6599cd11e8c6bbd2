import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readProcStatSync } from './proc-stat.js';
import { signalGroup } from './signals.js';

export interface SpawnRequest {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** stdout and stderr are appended here. */
  readonly logPath: string;
  /** Attached before anything else can happen, so no exit is missed. */
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export type SpawnOutcome =
  | { readonly type: 'spawned'; readonly child: ChildProcess; readonly pid: number; readonly pidStartTime: string }
  | { readonly type: 'failed'; readonly error: NodeJS.ErrnoException };

/**
 * Starts a container's process: detached, so it leads its own session and
 * process group (a stop signals the whole group, and it survives the agent),
 * with stdout and stderr going straight to the log file (no pipe through the
 * agent that would break when the agent dies).
 */
export async function spawnContainer(request: SpawnRequest): Promise<SpawnOutcome> {
  const [program, ...args] = request.argv;
  if (program === undefined) throw new Error('spawnContainer: empty argv');
  await mkdir(dirname(request.logPath), { recursive: true });
  const log = await open(request.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(program, args, {
      cwd: request.cwd,
      env: { ...request.env },
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
  } catch (e) {
    await log.close();
    throw e;
  }
  // Everything up to the first await runs in this turn: Node reaps a child
  // that exits at once on a later turn, so the exit listener is in place and
  // /proc still has the process's (perhaps zombie) entry.
  const pid = child.pid;
  const failed = pid === undefined ? once(child, 'error') : undefined;
  const stat = pid !== undefined ? readProcStatSync(pid) : undefined;
  if (pid !== undefined) {
    child.once('exit', request.onExit);
    // Errors after a successful spawn (a failed kill) are not the container's end.
    child.on('error', () => undefined);
  }
  // The child has its own copy of the descriptor.
  await log.close();
  if (pid === undefined || failed !== undefined) {
    const [error] = (await failed) as [NodeJS.ErrnoException];
    return { type: 'failed', error };
  }
  if (stat === undefined) {
    signalGroup(pid, 'SIGKILL');
    return { type: 'failed', error: Object.assign(new Error(`cannot read /proc/${pid}/stat (the process runtime needs Linux /proc)`), { code: 'ENOPROC' }) };
  }
  return { type: 'spawned', child, pid, pidStartTime: stat.startTime };
}
