import type { ChildProcess } from 'node:child_process';
import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../../../actors/index.js';
import { RuntimeError, messageOf } from '../errors.js';
import { lazyIterable } from '../lazy-iterable.js';
import { portEnv } from '../port-env.js';
import type { ContainerConfig, ContainerExit, ContainerInfo, ContainerRuntime, ExecResult, ListFilter, LogOptions } from '../types.js';
import { AdoptedWatch } from './adopted-watch.js';
import { execInProcessContainer } from './exec.js';
import { LogFileReader } from './log-reader.js';
import { containerIdFor, logDirPath, logFilePath, unsafePathComponent, workDirPath } from './paths.js';
import { assignHostPorts, pickFreePort, type PickPort } from './ports.js';
import { isLiveProcess, readProcStat, readProcStatSync } from './proc-stat.js';
import { exitOfRecord, infoOfRecord } from './record-info.js';
import { exitCodeForSignal, signalGroup, signalNumber } from './signals.js';
import { spawnContainer } from './spawn-container.js';
import { LOST_EXIT_CODE, type ProcessContainerRecord, type ProcessExit } from './state-file.js';
import { StateStore } from './state-store.js';

/** The agent version the runtime reports when none is given. */
export const DEFAULT_AGENT_VERSION = '0.1.0';

export interface ProcessRuntimeOptions {
  /** Where state files, logs and default working dirs live (the agent passes `<dataDir>/process-runtime`). */
  readonly stateDir: string;
  /** Timers for the stop grace, exec timeouts and the polls below. */
  readonly clock: Clock;
  /** PATH given to every container unless its env sets one (and used to find its program). Default: the agent's PATH. */
  readonly path?: string;
  /** How often processes adopted from an earlier agent are checked for exit. Default 500. */
  readonly adoptedPollMs?: number;
  /** How often stop() checks whether an adopted process is gone. Default 50. */
  readonly stopPollMs?: number;
  /** How often a followed log is read for new lines. Default 250. */
  readonly logPollMs?: number;
  /** Reported in `version` (`process://drover-<agentVersion>`). Default DEFAULT_AGENT_VERSION. */
  readonly agentVersion?: string;
  /** Finds a free port on 127.0.0.1 for a declared port without a hostPort. */
  readonly pickPort?: PickPort;
}

interface OwnChild {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves once the exit is recorded and told. */
  readonly exited: Promise<void>;
}

/**
 * Runs each container as a plain child process, for machines without a
 * container engine. There is no isolation: the process shares the host's
 * file system, users and network.
 *
 * - Process: `command ++ args` (else `image ++ args`), found on PATH, spawned
 *   detached so it leads its own process group: stop signals the whole group,
 *   and the process survives a kill -9 of the agent.
 * - Environment: the config's env plus PATH, plus `DROVER_PORT_<containerPort>`
 *   set to the port to listen on: the hostPort when given, else a free port
 *   of 127.0.0.1 (reported in `hostPorts`).
 * - Working dir: the config's, else `<stateDir>/work/<id>` (removed with the container).
 * - Logs: stdout and stderr appended to `<stateDir>/logs/<podUid>/<container>/<attempt>.log`.
 * - State: `<stateDir>/containers/<id>.json`, so a restarted agent lists and
 *   stops the processes of the one before (adoption). A process is known by
 *   its pid and its start time in /proc, so a reused pid is never taken for it.
 * - Exits: a child of this instance reports its real exit code and signal
 *   (a signal's exit code is 128 + signal, as a shell reports it). An adopted
 *   process is no child of ours, so its exit code cannot be read: it is
 *   reported as 137 (LOST_EXIT_CODE) with no signal, and the state file
 *   marks it `lost`. Adopted processes are polled every `adoptedPollMs`.
 *   When a container's main process ends, whatever it left in its process
 *   group is killed, as an engine ends a container with its first process.
 * - Limits: not enforced. RLIMIT_AS (ulimit -v) counts reserved address
 *   space, not memory, and breaks runtimes that reserve much (node, the JVM);
 *   CPU shares need cgroups. The pod's limits still count for scheduling.
 *
 * Linux only (/proc).
 */
export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process' as const;
  readonly version: string;
  private readonly store: StateStore;
  private readonly clock: Clock;
  private readonly path: string;
  private readonly stopPollMs: number;
  private readonly logPollMs: number;
  private readonly pickPort: PickPort;
  private readonly own = new Map<string, OwnChild>();
  /** Ids being started (not yet on disk), so a second start of the same id is refused. */
  private readonly starting = new Set<string>();
  /** Running processes of an earlier agent, polled for their exit. */
  private readonly adopted: AdoptedWatch;
  /** Exits of adopted processes being recorded, by id. */
  private readonly losing = new Map<string, Promise<ProcessContainerRecord>>();
  private readonly listeners = new Set<(e: ContainerExit) => void>();
  private readonly followers = new Set<LogFileReader>();

  constructor(private readonly options: ProcessRuntimeOptions) {
    this.store = new StateStore(options.stateDir);
    this.clock = options.clock;
    this.path = options.path ?? process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin';
    this.stopPollMs = options.stopPollMs ?? 50;
    this.logPollMs = options.logPollMs ?? 250;
    this.pickPort = options.pickPort ?? pickFreePort;
    this.version = `process://drover-${options.agentVersion ?? DEFAULT_AGENT_VERSION}`;
    this.adopted = new AdoptedWatch(this.clock, options.adoptedPollMs ?? 500, (record) => this.markLost(record));
  }

  async start(config: ContainerConfig): Promise<ContainerInfo> {
    const ctx = { containerName: config.containerName };
    for (const [what, value] of [
      ['pod uid', config.podUid],
      ['container name', config.containerName],
    ] as const) {
      const unsafe = unsafePathComponent(value);
      if (unsafe !== undefined) throw new RuntimeError('INVALID_ARGUMENT', 'start', `the ${what} ${JSON.stringify(value)} ${unsafe}`, ctx);
    }
    const argv = [...(config.command ?? [config.image]), ...(config.args ?? [])];
    if (argv.length === 0 || argv[0] === '') throw new RuntimeError('INVALID_ARGUMENT', 'start', 'no program to run (empty command and image)', ctx);

    const id = containerIdFor(config.podUid, config.containerName, config.attempt);
    const idCtx = { ...ctx, containerId: id };
    if (this.starting.has(id) || this.own.has(id)) throw alreadyExists(config, idCtx);
    this.starting.add(id);
    try {
      if ((await this.store.read(id)) !== undefined) throw alreadyExists(config, idCtx);
      return await this.spawn(id, config, argv);
    } finally {
      this.starting.delete(id);
    }
  }

  async stop(id: string, gracePeriodMs: number): Promise<void> {
    const record = await this.current(id, 'stop');
    if (record === undefined || record.exit !== undefined) return;
    const own = this.own.get(id);
    if (own !== undefined) {
      signalGroup(own.pid, 'SIGTERM');
      const timer = this.clock.setTimer(gracePeriodMs, () => signalGroup(own.pid, 'SIGKILL'));
      await own.exited;
      this.clock.cancelTimer(timer);
      return;
    }
    // Adopted: no exit event will come; watch /proc. Signal only the process
    // that started at the recorded time, never a stranger that got its pid.
    signalGroup(record.pid, 'SIGTERM');
    const timer = this.clock.setTimer(gracePeriodMs, () => {
      if (isLiveProcess(readProcStatSync(record.pid), record.pidStartTime)) signalGroup(record.pid, 'SIGKILL');
    });
    try {
      await this.adopted.untilGone(record, this.stopPollMs);
    } finally {
      this.clock.cancelTimer(timer);
    }
    // The leader is gone just now, so the group id is still only its own.
    signalGroup(record.pid, 'SIGKILL');
    await this.markLost(record);
  }

  async remove(id: string): Promise<void> {
    const record = await this.current(id, 'remove');
    if (record === undefined) return;
    const ctx = { containerId: id, containerName: record.containerName };
    if (record.exit === undefined) throw new RuntimeError('STILL_RUNNING', 'remove', 'the container still runs; stop it first', ctx);
    try {
      await this.store.delete(id);
      await rm(record.logPath, { force: true });
      // The container's and then the pod's log dir, once no other attempt has a log there.
      const containerLogDir = logDirPath(this.options.stateDir, record.podUid, record.containerName);
      if (await removeIfEmpty(containerLogDir)) await removeIfEmpty(dirname(containerLogDir));
      if (record.ownWorkingDir) await rm(record.workingDir, { recursive: true, force: true });
    } catch (e) {
      throw new RuntimeError('FAILED', 'remove', messageOf(e), ctx, { cause: e });
    }
    this.adopted.forget(id);
  }

  async list(filter?: ListFilter): Promise<ContainerInfo[]> {
    let records: ProcessContainerRecord[];
    try {
      records = await this.store.readAll();
      if (filter?.podUid !== undefined) records = records.filter((r) => r.podUid === filter.podUid);
    } catch (e) {
      throw new RuntimeError('FAILED', 'list', `cannot read the state dir ${this.options.stateDir}: ${messageOf(e)}`, {}, { cause: e });
    }
    const refreshed = await Promise.all(records.map((r) => this.refresh(r)));
    return refreshed.map(infoOfRecord);
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    const record = await this.current(id, 'inspect');
    return record === undefined ? undefined : infoOfRecord(record);
  }

  async exec(id: string, command: readonly string[], timeoutMs: number): Promise<ExecResult> {
    const record = await this.current(id, 'exec');
    if (record === undefined) throw new RuntimeError('NOT_FOUND', 'exec', 'no such container', { containerId: id });
    const ctx = { containerId: id, containerName: record.containerName };
    if (record.exit !== undefined) throw new RuntimeError('NOT_RUNNING', 'exec', 'the container has exited', ctx);
    if (command.length === 0) throw new RuntimeError('INVALID_ARGUMENT', 'exec', 'empty command', ctx);
    return execInProcessContainer({ argv: command, env: record.env, cwd: record.workingDir, timeoutMs, clock: this.clock });
  }

  logs(id: string, options: LogOptions = {}): AsyncIterable<string> {
    return lazyIterable(async () => {
      const record = await this.current(id, 'logs');
      if (record === undefined) throw new RuntimeError('NOT_FOUND', 'logs', 'no such container', { containerId: id });
      const follow = options.follow === true;
      const reader: LogFileReader = new LogFileReader({
        path: record.logPath,
        follow,
        ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
        clock: this.clock,
        pollMs: this.logPollMs,
        hasEnded: async () => {
          const now = await this.current(id, 'logs');
          return now === undefined || now.exit !== undefined;
        },
        onDone: () => this.followers.delete(reader),
      });
      if (follow) this.followers.add(reader);
      return reader;
    });
  }

  onExit(listener: (e: ContainerExit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.adopted.close();
    this.listeners.clear();
    for (const f of this.followers) void f.return();
    this.followers.clear();
    // The processes run on; the agent may exit without waiting for them.
    for (const own of this.own.values()) own.child.unref();
    return Promise.resolve();
  }

  // --- starting ---------------------------------------------------------------

  private async spawn(id: string, config: ContainerConfig, argv: string[]): Promise<ContainerInfo> {
    const ctx = { containerId: id, containerName: config.containerName };
    let hostPorts: Record<number, number>;
    try {
      hostPorts = await assignHostPorts(config.ports, this.pickPort);
    } catch (e) {
      throw new RuntimeError('PORT_UNAVAILABLE', 'start', `no free port on 127.0.0.1: ${messageOf(e)}`, ctx, { cause: e });
    }
    const env = { PATH: this.path, ...config.env, ...portEnv(hostPorts) };
    const ownWorkingDir = config.workingDir === undefined;
    const workingDir = config.workingDir ?? workDirPath(this.options.stateDir, id);
    await this.prepareWorkingDir(workingDir, ownWorkingDir, ctx);
    const logPath = logFilePath(this.options.stateDir, config.podUid, config.containerName, config.attempt);

    let exitSeen!: (e: ProcessExit) => void;
    const exitPromise = new Promise<ProcessExit>((resolve) => (exitSeen = resolve));
    let outcome;
    try {
      outcome = await spawnContainer({
        argv,
        env,
        cwd: workingDir,
        logPath,
        onExit: (code, signal) => exitSeen(exitOf(code, signal, this.clock.now())),
      });
    } catch (e) {
      throw new RuntimeError('FAILED', 'start', `cannot start ${argv[0] ?? ''}: ${messageOf(e)}`, ctx, { cause: e });
    }
    if (outcome.type === 'failed') {
      const missing = outcome.error.code === 'ENOENT';
      throw new RuntimeError(
        missing ? 'IMAGE_NOT_FOUND' : 'FAILED',
        'start',
        missing ? `program ${JSON.stringify(argv[0])} not found on PATH` : `cannot start ${argv[0] ?? ''}: ${outcome.error.message}`,
        ctx,
        { cause: outcome.error },
      );
    }

    const { pid, child } = outcome;
    const record: ProcessContainerRecord = {
      id,
      pid,
      pidStartTime: outcome.pidStartTime,
      podUid: config.podUid,
      podNamespace: config.podNamespace,
      podName: config.podName,
      containerName: config.containerName,
      attempt: config.attempt,
      image: config.image,
      argv,
      env,
      workingDir,
      ownWorkingDir,
      logPath,
      startedAtMs: this.clock.now(),
      hostPorts,
    };
    // The exit (perhaps already seen) is recorded once the record exists.
    const created = this.store.create(record);
    const exited = created.then(
      () => exitPromise.then((exit) => this.recordOwnExit(record, exit)),
      () => undefined,
    );
    this.own.set(id, { pid, child, exited });
    try {
      await created;
    } catch (e) {
      // A container the runtime cannot find again must not run.
      signalGroup(pid, 'SIGKILL');
      this.own.delete(id);
      throw new RuntimeError('FAILED', 'start', `cannot write the state file: ${messageOf(e)}`, ctx, { cause: e });
    }
    return infoOfRecord((await this.store.read(id)) ?? record);
  }

  private async prepareWorkingDir(dir: string, own: boolean, ctx: { containerId: string; containerName: string }): Promise<void> {
    try {
      if (own) {
        await mkdir(dir, { recursive: true });
        return;
      }
      if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    } catch (e) {
      throw new RuntimeError('INVALID_ARGUMENT', 'start', `working dir ${dir}: ${messageOf(e)}`, ctx, { cause: e });
    }
  }

  private async recordOwnExit(record: ProcessContainerRecord, exit: ProcessExit): Promise<void> {
    // Whatever the main process left in its group ends with it.
    signalGroup(record.pid, 'SIGKILL');
    // The real exit replaces a `lost` one another agent may have written meanwhile.
    let updated: ProcessContainerRecord | undefined;
    try {
      updated = await this.store.update(record.id, (current) => ({ ...current, exit }));
    } catch {
      // Not recorded (the disk refused): the next look at it finds the process
      // gone and records it then, as for a process of an earlier agent.
    }
    this.own.delete(record.id);
    this.tell({ ...(updated ?? record), exit });
  }

  // --- adoption ---------------------------------------------------------------

  /** The record on disk, its liveness checked; RuntimeError FAILED when the state dir cannot be read. */
  private async current(id: string, op: 'stop' | 'remove' | 'inspect' | 'exec' | 'logs'): Promise<ProcessContainerRecord | undefined> {
    let record: ProcessContainerRecord | undefined;
    try {
      record = await this.store.read(id);
    } catch (e) {
      throw new RuntimeError('FAILED', op, `cannot read the state file: ${messageOf(e)}`, { containerId: id }, { cause: e });
    }
    return record === undefined ? undefined : this.refresh(record);
  }

  /**
   * A running record of no child of ours is adopted: watched while its
   * process lives, marked exited (lost) once it is gone.
   */
  private async refresh(record: ProcessContainerRecord): Promise<ProcessContainerRecord> {
    if (record.exit !== undefined || this.own.has(record.id)) return record;
    if (isLiveProcess(await readProcStat(record.pid), record.pidStartTime)) {
      this.adopted.watch(record);
      return record;
    }
    return this.markLost(record);
  }

  /**
   * Records the exit of a process that was no child of ours (the first
   * writer wins: the agent that was its parent may have written the real
   * exit), and tells it: from here it ran until now. One at a time per id,
   * so two looks at once tell it once.
   */
  private markLost(record: ProcessContainerRecord): Promise<ProcessContainerRecord> {
    const inFlight = this.losing.get(record.id);
    if (inFlight !== undefined) return inFlight;
    const marking = (async () => {
      const exit: ProcessExit = { exitCode: LOST_EXIT_CODE, finishedAtMs: this.clock.now(), lost: true };
      const updated = await this.store.update(record.id, (current) => (current.exit !== undefined ? current : { ...current, exit }));
      this.adopted.forget(record.id);
      const ended = updated ?? { ...record, exit };
      this.tell(ended);
      return ended;
    })().finally(() => this.losing.delete(record.id));
    this.losing.set(record.id, marking);
    return marking;
  }

  private tell(record: ProcessContainerRecord): void {
    const e = exitOfRecord(record);
    if (e === undefined) return;
    for (const listener of [...this.listeners]) listener(e);
  }
}

function exitOf(code: number | null, signal: NodeJS.Signals | null, finishedAtMs: number): ProcessExit {
  const signo = signal !== null ? signalNumber(signal) : undefined;
  const exitCode = code ?? (signo !== undefined ? exitCodeForSignal(signo) : LOST_EXIT_CODE);
  return { exitCode, finishedAtMs, ...(signo !== undefined ? { signal: signo } : {}) };
}

function alreadyExists(config: ContainerConfig, ctx: { containerId: string; containerName: string }): RuntimeError {
  return new RuntimeError(
    'ALREADY_EXISTS',
    'start',
    `pod ${config.podUid} already has attempt ${config.attempt} of this container; remove it first`,
    ctx,
  );
}

/** Removes `dir` if it is empty; true when it is gone. */
async function removeIfEmpty(dir: string): Promise<boolean> {
  try {
    await rmdir(dir);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
