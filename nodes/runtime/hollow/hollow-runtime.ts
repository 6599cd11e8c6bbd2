import type { Clock } from '../../../actors/index.js';
import { RuntimeError } from '../errors.js';
import { iteratorOf, lazyIterable } from '../lazy-iterable.js';
import type { ContainerConfig, ContainerExit, ContainerInfo, ContainerRuntime, ExecResult, ListFilter, LogOptions } from '../types.js';

/** The `containerID` scheme of the hollow runtime. */
export const HOLLOW_SCHEME = 'hollow://';

export interface HollowRuntimeOptions {
  /** Stamps startedAtMs and finishedAtMs; without one, containers carry no times. No timer is ever set. */
  readonly clock?: Pick<Clock, 'now'>;
  /** Prefix of the ids (e.g. the node name), so ids of many hollow nodes in one process differ. Default ''. */
  readonly idPrefix?: string;
  /** What exec answers; default exit 0 with no output. */
  readonly execResult?: (container: ContainerInfo, command: readonly string[]) => ExecResult;
}

/** One container: the config it was started with (shared, not copied) and how it ended. */
interface HollowContainer {
  readonly id: string;
  readonly config: ContainerConfig;
  readonly startedAtMs: number | undefined;
  exit: { readonly exitCode: number; readonly signal?: number; readonly finishedAtMs: number | undefined } | undefined;
}

const EXEC_OK: ExecResult = { exitCode: 0, output: '', timedOut: false };

/**
 * A runtime where nothing runs, for scale tests and the simulated world: many
 * hollow agents share one process, so a container costs one small object.
 * start() records a running container at once (ids from a counter, so runs
 * are deterministic), stop() marks it exited with code 0 (as a process that
 * honours SIGTERM), exec answers exit 0, logs are empty (a follow ends at
 * once). `crash()` makes a container exit, for tests of restarts.
 * Exits are told to listeners synchronously, within the call that caused them.
 */
export class HollowRuntime implements ContainerRuntime {
  readonly name = 'hollow' as const;
  readonly version = 'hollow://0';
  private readonly containers = new Map<string, HollowContainer>();
  /** `podUid/containerName/attempt` -> id, refusing a second start of the same attempt. */
  private readonly byName = new Map<string, string>();
  private readonly listeners = new Set<(e: ContainerExit) => void>();
  private nextId = 1;

  constructor(private readonly options: HollowRuntimeOptions = {}) {}

  start(config: ContainerConfig): Promise<ContainerInfo> {
    const key = `${config.podUid}/${config.containerName}/${config.attempt}`;
    if (this.byName.has(key)) {
      return Promise.reject(
        new RuntimeError('ALREADY_EXISTS', 'start', `pod ${config.podUid} already has attempt ${config.attempt} of this container`, {
          containerName: config.containerName,
        }),
      );
    }
    const id = `${this.options.idPrefix ?? ''}${this.nextId++}`;
    const c: HollowContainer = { id, config, startedAtMs: this.options.clock?.now(), exit: undefined };
    this.containers.set(id, c);
    this.byName.set(key, id);
    return Promise.resolve(infoOf(c));
  }

  stop(id: string, _gracePeriodMs: number): Promise<void> {
    const c = this.containers.get(id);
    if (c !== undefined && c.exit === undefined) this.end(c, 0, undefined);
    return Promise.resolve();
  }

  remove(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (c === undefined) return Promise.resolve();
    if (c.exit === undefined) {
      return Promise.reject(
        new RuntimeError('STILL_RUNNING', 'remove', 'the container still runs; stop it first', { containerId: id, containerName: c.config.containerName }),
      );
    }
    this.containers.delete(id);
    this.byName.delete(`${c.config.podUid}/${c.config.containerName}/${c.config.attempt}`);
    return Promise.resolve();
  }

  /** What list() resolves with, now: for checks that cannot wait (a simulation's predicates). */
  snapshot(): ContainerInfo[] {
    return [...this.containers.values()].map(infoOf);
  }

  list(filter?: ListFilter): Promise<ContainerInfo[]> {
    const podUid = filter?.podUid;
    const all = [...this.containers.values()];
    return Promise.resolve((podUid === undefined ? all : all.filter((c) => c.config.podUid === podUid)).map(infoOf));
  }

  inspect(id: string): Promise<ContainerInfo | undefined> {
    const c = this.containers.get(id);
    return Promise.resolve(c === undefined ? undefined : infoOf(c));
  }

  exec(id: string, command: readonly string[], _timeoutMs: number): Promise<ExecResult> {
    const c = this.containers.get(id);
    if (c === undefined) return Promise.reject(new RuntimeError('NOT_FOUND', 'exec', 'no such container', { containerId: id }));
    const ctx = { containerId: id, containerName: c.config.containerName };
    if (c.exit !== undefined) return Promise.reject(new RuntimeError('NOT_RUNNING', 'exec', 'the container has exited', ctx));
    if (command.length === 0) return Promise.reject(new RuntimeError('INVALID_ARGUMENT', 'exec', 'empty command', ctx));
    return Promise.resolve(this.options.execResult?.(infoOf(c), command) ?? EXEC_OK);
  }

  logs(id: string, _options?: LogOptions): AsyncIterable<string> {
    return lazyIterable(() =>
      this.containers.has(id)
        ? Promise.resolve(iteratorOf<string>([]))
        : Promise.reject(new RuntimeError('NOT_FOUND', 'logs', 'no such container', { containerId: id })),
    );
  }

  onExit(listener: (e: ContainerExit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }

  /**
   * Test hook: the container's process "exits" with `exitCode` (and
   * `signal`, e.g. 9 for an OOM kill). False when it is unknown or has
   * already exited.
   */
  crash(id: string, exitCode: number, signal?: number): boolean {
    const c = this.containers.get(id);
    if (c === undefined || c.exit !== undefined) return false;
    this.end(c, exitCode, signal);
    return true;
  }

  /** How many containers it holds (running or exited). */
  get size(): number {
    return this.containers.size;
  }

  private end(c: HollowContainer, exitCode: number, signal: number | undefined): void {
    const finishedAtMs = this.options.clock?.now();
    c.exit = { exitCode, finishedAtMs, ...(signal !== undefined ? { signal } : {}) };
    const e: ContainerExit = {
      type: 'exited',
      id: c.id,
      podUid: c.config.podUid,
      containerName: c.config.containerName,
      attempt: c.config.attempt,
      exitCode,
      ...(signal !== undefined ? { signal } : {}),
      finishedAtMs: finishedAtMs ?? 0,
    };
    for (const l of [...this.listeners]) l(e);
  }
}

function infoOf(c: HollowContainer): ContainerInfo {
  const { config, exit } = c;
  const hostPorts: Record<number, number> = {};
  for (const p of config.ports) if (p.hostPort !== undefined) hostPorts[p.containerPort] = p.hostPort;
  return {
    id: c.id,
    containerID: `${HOLLOW_SCHEME}${c.id}`,
    podUid: config.podUid,
    podNamespace: config.podNamespace,
    podName: config.podName,
    containerName: config.containerName,
    attempt: config.attempt,
    image: config.image,
    state: exit === undefined ? 'running' : 'exited',
    ...(c.startedAtMs !== undefined ? { startedAtMs: c.startedAtMs } : {}),
    ...(exit?.finishedAtMs !== undefined ? { finishedAtMs: exit.finishedAtMs } : {}),
    ...(exit !== undefined ? { exitCode: exit.exitCode } : {}),
    ...(exit?.signal !== undefined ? { signal: exit.signal } : {}),
    ...(Object.keys(hostPorts).length > 0 ? { hostPorts } : {}),
  };
}
