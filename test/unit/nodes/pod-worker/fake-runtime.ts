// An in-memory ContainerRuntime for the pod worker's tests: nothing runs, and
// the test decides when containers exit, whether a start fails, and how a
// container answers SIGTERM. Time comes from the Clock it is given (the
// simulation's virtual clock), so grace periods and run times are virtual.

import type { Clock } from '../../../../actors/index.js';
import { RuntimeError } from '../../../../nodes/runtime/errors.js';
import type {
  ContainerConfig,
  ContainerExit,
  ContainerInfo,
  ContainerRuntime,
  ExecResult,
  ListFilter,
  LogOptions,
} from '../../../../nodes/runtime/index.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** How the containers of one container name behave. */
export interface FakeBehaviour {
  /** Exits by itself after this long (virtual ms) with `exitCode`. Absent: runs until stopped. */
  readonly runMs?: number;
  /** Default 0. */
  readonly exitCode?: number;
  /** On SIGTERM: exit at once (default) or ignore it and be killed when the grace period ends. */
  readonly onTerm?: 'exit' | 'ignore';
  /** The exit code after SIGTERM. Default 143. */
  readonly termExitCode?: number;
}

export interface FakeCall {
  readonly op: 'start' | 'stop' | 'remove' | 'list' | 'inspect' | 'exec';
  readonly atMs: number;
  readonly id?: string;
  readonly containerName?: string;
  readonly attempt?: number;
  readonly gracePeriodMs?: number;
}

export class FakeRuntime implements ContainerRuntime {
  readonly name = 'hollow' as const;
  readonly version = 'fake://0.0.0';
  readonly calls: FakeCall[] = [];
  /** The most starts that were in flight at once (the worker must keep it at 1). */
  maxStartsInFlight = 0;
  private startsInFlight = 0;
  private readonly containers = new Map<string, Mutable<ContainerInfo>>();
  private readonly listeners = new Set<(e: ContainerExit) => void>();
  private readonly behaviours = new Map<string, FakeBehaviour>();
  private readonly startFailures = new Map<string, { code: 'IMAGE_NOT_FOUND' | 'FAILED'; reason: string }[]>();
  private readonly exitWaiters = new Map<string, (() => void)[]>();
  private nextId = 1;
  /** Answers exec calls; default: exit 0. */
  execHandler: (info: ContainerInfo, command: readonly string[]) => ExecResult = () => ({ exitCode: 0, output: '', timedOut: false });
  /** Virtual ms a start takes. */
  startDelayMs = 0;

  constructor(private readonly clock: Clock) {}

  /** Sets how containers named `containerName` behave from their next start on. */
  behave(containerName: string, behaviour: FakeBehaviour): void {
    this.behaviours.set(containerName, behaviour);
  }

  /** The next `times` starts of `containerName` reject. */
  failStarts(containerName: string, times: number, code: 'IMAGE_NOT_FOUND' | 'FAILED' = 'FAILED', reason = 'exec: "nope": not found'): void {
    const queue = this.startFailures.get(containerName) ?? [];
    for (let i = 0; i < times; i++) queue.push({ code, reason });
    this.startFailures.set(containerName, queue);
  }

  /** Adds a container as if an earlier agent had started it (for adoption). */
  seed(info: Omit<ContainerInfo, 'id' | 'containerID'>): ContainerInfo {
    const id = `c${this.nextId++}`;
    const c: Mutable<ContainerInfo> = { ...info, id, containerID: `hollow://${id}` };
    this.containers.set(id, c);
    return { ...c };
  }

  /** Ends a running container now, as if it exited by itself. */
  exit(id: string, exitCode: number, signal?: number): void {
    const c = this.containers.get(id);
    if (c === undefined || c.state !== 'running') return;
    c.state = 'exited';
    c.exitCode = exitCode;
    c.finishedAtMs = this.clock.now();
    if (signal !== undefined) c.signal = signal;
    const e: ContainerExit = {
      type: 'exited',
      id,
      podUid: c.podUid,
      containerName: c.containerName,
      attempt: c.attempt,
      exitCode,
      finishedAtMs: c.finishedAtMs,
      ...(signal !== undefined ? { signal } : {}),
    };
    for (const w of this.exitWaiters.get(id) ?? []) w();
    this.exitWaiters.delete(id);
    for (const l of this.listeners) l(e);
  }

  /** Every container, running or exited. */
  all(): ContainerInfo[] {
    return [...this.containers.values()].map((c) => ({ ...c }));
  }

  running(containerName?: string): ContainerInfo[] {
    return this.all().filter((c) => c.state === 'running' && (containerName === undefined || c.containerName === containerName));
  }

  start(config: ContainerConfig): Promise<ContainerInfo> {
    this.calls.push({ op: 'start', atMs: this.clock.now(), containerName: config.containerName, attempt: config.attempt });
    this.startsInFlight++;
    this.maxStartsInFlight = Math.max(this.maxStartsInFlight, this.startsInFlight);
    return new Promise<ContainerInfo>((resolve, reject) => {
      const run = () => {
        this.startsInFlight--;
        const failure = this.startFailures.get(config.containerName)?.shift();
        if (failure !== undefined) {
          reject(new RuntimeError(failure.code, 'start', failure.reason, { containerName: config.containerName }));
          return;
        }
        const clash = [...this.containers.values()].find(
          (c) => c.podUid === config.podUid && c.containerName === config.containerName && c.attempt === config.attempt,
        );
        if (clash !== undefined) {
          reject(new RuntimeError('ALREADY_EXISTS', 'start', `attempt ${config.attempt} exists`, { containerName: config.containerName }));
          return;
        }
        const id = `c${this.nextId++}`;
        const c: Mutable<ContainerInfo> = {
          id,
          containerID: `hollow://${id}`,
          podUid: config.podUid,
          podNamespace: config.podNamespace,
          podName: config.podName,
          containerName: config.containerName,
          attempt: config.attempt,
          image: config.image,
          state: 'running',
          startedAtMs: this.clock.now(),
          hostPorts: Object.fromEntries(config.ports.map((p) => [p.containerPort, p.hostPort ?? 30_000 + p.containerPort])),
        };
        this.containers.set(id, c);
        const b = this.behaviours.get(config.containerName);
        if (b?.runMs !== undefined) {
          const exitCode = b.exitCode ?? 0;
          this.clock.setTimer(b.runMs, () => this.exit(id, exitCode));
        }
        resolve({ ...c });
      };
      if (this.startDelayMs > 0) this.clock.setTimer(this.startDelayMs, run);
      else run();
    });
  }

  stop(id: string, gracePeriodMs: number): Promise<void> {
    const c = this.containers.get(id);
    this.calls.push({ op: 'stop', atMs: this.clock.now(), id, gracePeriodMs, ...(c ? { containerName: c.containerName } : {}) });
    if (c === undefined || c.state !== 'running') return Promise.resolve();
    const b = this.behaviours.get(c.containerName);
    const exited = new Promise<void>((resolve) => this.exitWaiters.set(id, [...(this.exitWaiters.get(id) ?? []), resolve]));
    if ((b?.onTerm ?? 'exit') === 'exit') this.exit(id, b?.termExitCode ?? 143, 15);
    else this.clock.setTimer(gracePeriodMs, () => this.exit(id, 137, 9));
    return exited;
  }

  remove(id: string): Promise<void> {
    const c = this.containers.get(id);
    this.calls.push({ op: 'remove', atMs: this.clock.now(), id, ...(c ? { containerName: c.containerName } : {}) });
    if (c === undefined) return Promise.reject(new RuntimeError('NOT_FOUND', 'remove', 'no such container', { containerId: id }));
    if (c.state === 'running') return Promise.reject(new RuntimeError('STILL_RUNNING', 'remove', 'it runs', { containerId: id }));
    this.containers.delete(id);
    return Promise.resolve();
  }

  list(filter?: ListFilter): Promise<ContainerInfo[]> {
    this.calls.push({ op: 'list', atMs: this.clock.now() });
    const all = this.all();
    return Promise.resolve(filter?.podUid === undefined ? all : all.filter((c) => c.podUid === filter.podUid));
  }

  inspect(id: string): Promise<ContainerInfo | undefined> {
    this.calls.push({ op: 'inspect', atMs: this.clock.now(), id });
    const c = this.containers.get(id);
    return Promise.resolve(c === undefined ? undefined : { ...c });
  }

  exec(id: string, command: readonly string[], _timeoutMs: number): Promise<ExecResult> {
    this.calls.push({ op: 'exec', atMs: this.clock.now(), id });
    const c = this.containers.get(id);
    if (c === undefined || c.state !== 'running') return Promise.reject(new RuntimeError('NOT_RUNNING', 'exec', 'not running', { containerId: id }));
    return Promise.resolve(this.execHandler({ ...c }, command));
  }

  async *logs(_id: string, _options?: LogOptions): AsyncIterable<string> {
    return;
  }

  onExit(listener: (e: ContainerExit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
