import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import type { Clock } from '../../../actors/index.js';
import { withDeadline } from '../deadline.js';
import { RuntimeError, messageOf, type RuntimeErrorContext, type RuntimeOp } from '../errors.js';
import { iteratorOf, lazyIterable } from '../lazy-iterable.js';
import { OutputCollector } from '../output-limit.js';
import type { ContainerConfig, ContainerExit, ContainerInfo, ContainerRuntime, ExecResult, ListFilter, LogOptions } from '../types.js';
import { createOptionsFor } from './create-options.js';
import { engineError, statusOf } from './engine-errors.js';
import { ExitWatcher } from './exit-watcher.js';
import { FrameDecoder } from './frames.js';
import { infoOfInspect } from './inspect-info.js';
import { LABEL_POD_UID, nodeLabelFilter, parseLabels } from './labels.js';
import { feedOfLogStream, linesOfLogBuffer } from './log-lines.js';

/** Where the engine listens unless told otherwise. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface DockerRuntimeOptions {
  /** The node's name: a label on every container, and the filter of list() and exit events. */
  readonly nodeName: string;
  /** Timers for timeouts and event-stream reconnects. */
  readonly clock: Clock;
  /** The engine's socket. Default DEFAULT_DOCKER_SOCKET. */
  readonly socketPath?: string;
  /** How long connect() waits for the engine's answer. Default 2000. */
  readonly pingTimeoutMs?: number;
  /** How long a pull of a missing image may take. Default 120000. */
  readonly pullTimeoutMs?: number;
  /** Wait before reconnecting the event stream after it drops. Default 1000. */
  readonly eventsReconnectMs?: number;
}

interface AbortableEngine {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
  version(options: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
}

/** What exec reports for a command that outlived its timeout (as for a SIGKILL). */
const EXEC_TIMED_OUT_EXIT_CODE = 137;
/** How often, and how many times, exec asks for an exit code the engine has not recorded yet. */
const EXEC_EXIT_CHECK_MS = 20;
const EXEC_EXIT_CHECKS_MAX = 50;

/**
 * Runs containers on the local Docker engine through dockerode.
 *
 * Every container carries labels naming its pod, container, attempt and node
 * (labels.ts), and a name made of them (naming.ts); list(), inspect() and
 * the exit events see only this node's containers, and stop/remove/exec
 * never touch another's. Declared ports are published on 127.0.0.1 only
 * (the engine picks the host port when the manifest gives none; inspect
 * reports it), CPU and memory limits are set through the engine's cgroups.
 * Images are pulled only when missing; a missing image that cannot be pulled
 * is IMAGE_NOT_FOUND. Exits come from the engine's `die` events.
 * Stop uses the engine's stop, whose grace has whole seconds (rounded up).
 */
export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker' as const;
  private readonly listeners = new Set<(e: ContainerExit) => void>();
  private watcher: ExitWatcher | undefined;
  private closed = false;

  private constructor(
    private readonly options: DockerRuntimeOptions,
    private readonly docker: Docker,
    /** `docker://<engine version>`. */
    readonly version: string,
  ) {}

  /** Connects to the engine: resolves once it answers a ping (within pingTimeoutMs), else rejects with ENGINE_UNAVAILABLE. */
  static async connect(options: DockerRuntimeOptions): Promise<DockerRuntime> {
    const socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
    const docker = new Docker({ socketPath });
    const timeoutMs = options.pingTimeoutMs ?? 2000;
    let outcome;
    try {
      // dockerode takes an abort signal here; its type declarations do not say so.
      const engine = docker as unknown as AbortableEngine;
      outcome = await withDeadline(options.clock, timeoutMs, async (abortSignal) => {
        await engine.ping({ abortSignal });
        return engine.version({ abortSignal });
      });
    } catch (e) {
      throw new RuntimeError('ENGINE_UNAVAILABLE', 'ping', `no docker engine answers on ${socketPath}: ${messageOf(e)}`, {}, { cause: e });
    }
    if (outcome.type === 'timedOut') {
      throw new RuntimeError('ENGINE_UNAVAILABLE', 'ping', `the docker engine on ${socketPath} did not answer within ${timeoutMs} ms`);
    }
    return new DockerRuntime(options, docker, `docker://${outcome.value.Version}`);
  }

  async start(config: ContainerConfig): Promise<ContainerInfo> {
    const ctx: RuntimeErrorContext = { containerName: config.containerName };
    await this.ensureImage(config.image, ctx);
    const createOptions = createOptionsFor(this.options.nodeName, config);
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(createOptions);
    } catch (e) {
      const status = statusOf(e);
      if (status === 409) {
        throw new RuntimeError('ALREADY_EXISTS', 'start', `a container named ${createOptions.name ?? ''} exists; remove it first`, ctx, { cause: e });
      }
      if (status === 404) throw new RuntimeError('IMAGE_NOT_FOUND', 'start', `image ${config.image} is not present`, ctx, { cause: e });
      throw engineError(e, 'start', ctx);
    }
    const idCtx = { ...ctx, containerId: container.id };
    try {
      await container.start();
    } catch (e) {
      // A container that never ran is of no use to anyone: do not leave it behind.
      await container.remove({ force: true }).catch(() => undefined);
      const message = messageOf(e);
      if (/port is already allocated|address already in use/i.test(message)) {
        throw new RuntimeError('PORT_UNAVAILABLE', 'start', message.trim(), idCtx, { cause: e });
      }
      throw engineError(e, 'start', idCtx);
    }
    const info = await this.inspectOwn(container.id, 'start');
    if (info === undefined) throw new RuntimeError('FAILED', 'start', 'the container vanished right after it started', idCtx);
    return info;
  }

  async stop(id: string, gracePeriodMs: number): Promise<void> {
    const info = await this.inspectOwn(id, 'stop');
    if (info === undefined || info.state !== 'running') return;
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.ceil(gracePeriodMs / 1000)) });
    } catch (e) {
      // 304: it stopped meanwhile; 404: it is gone.
      const status = statusOf(e);
      if (status === 304 || status === 404) return;
      throw engineError(e, 'stop', { containerId: id, containerName: info.containerName });
    }
  }

  async remove(id: string): Promise<void> {
    const info = await this.inspectOwn(id, 'remove');
    if (info === undefined) return;
    const ctx = { containerId: id, containerName: info.containerName };
    if (info.state === 'running') throw new RuntimeError('STILL_RUNNING', 'remove', 'the container still runs; stop it first', ctx);
    try {
      await this.docker.getContainer(id).remove({ v: true });
    } catch (e) {
      const status = statusOf(e);
      if (status === 404) return;
      if (status === 409) throw new RuntimeError('STILL_RUNNING', 'remove', messageOf(e).trim(), ctx, { cause: e });
      throw engineError(e, 'remove', ctx);
    }
  }

  async list(filter?: ListFilter): Promise<ContainerInfo[]> {
    let summaries: Docker.ContainerInfo[];
    const labels = [nodeLabelFilter(this.options.nodeName), ...(filter?.podUid !== undefined ? [`${LABEL_POD_UID}=${filter.podUid}`] : [])];
    try {
      summaries = await this.docker.listContainers({ all: true, filters: { label: labels } });
    } catch (e) {
      throw engineError(e, 'list', {});
    }
    const infos = await Promise.all(summaries.map((s) => this.inspectOwn(s.Id, 'list')));
    return infos.filter((i): i is ContainerInfo => i !== undefined);
  }

  inspect(id: string): Promise<ContainerInfo | undefined> {
    return this.inspectOwn(id, 'inspect');
  }

  async exec(id: string, command: readonly string[], timeoutMs: number): Promise<ExecResult> {
    const info = await this.inspectOwn(id, 'exec');
    if (info === undefined) throw new RuntimeError('NOT_FOUND', 'exec', 'no such container on this node', { containerId: id });
    const ctx = { containerId: id, containerName: info.containerName };
    if (info.state !== 'running') throw new RuntimeError('NOT_RUNNING', 'exec', `the container is ${info.state}`, ctx);
    if (command.length === 0) throw new RuntimeError('INVALID_ARGUMENT', 'exec', 'empty command', ctx);
    let exec: Docker.Exec;
    let stream: Readable;
    try {
      exec = await this.docker.getContainer(id).exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true });
      stream = await exec.start({ hijack: true, stdin: false });
    } catch (e) {
      if (statusOf(e) === 409) throw new RuntimeError('NOT_RUNNING', 'exec', messageOf(e).trim(), ctx, { cause: e });
      throw engineError(e, 'exec', ctx);
    }
    const output = new OutputCollector();
    const frames = new FrameDecoder();
    const finished = await withDeadline(
      this.options.clock,
      timeoutMs,
      () =>
        new Promise<void>((resolve, reject) => {
          stream.on('data', (chunk: Buffer) => {
            for (const f of frames.push(chunk)) output.push(f.payload);
          });
          stream.once('end', resolve);
          stream.once('close', resolve);
          stream.once('error', reject);
        }),
    ).catch((e: unknown) => {
      throw engineError(e, 'exec', ctx);
    });
    if (finished.type === 'timedOut') {
      // The engine has no way to kill an exec'd process: it runs on, unheard.
      stream.destroy();
      return { exitCode: EXEC_TIMED_OUT_EXIT_CODE, output: output.text(), timedOut: true };
    }
    try {
      // The output can end a moment before the engine has recorded the exit.
      let result = await exec.inspect();
      for (let i = 0; result.Running && i < EXEC_EXIT_CHECKS_MAX; i++) {
        await new Promise<void>((resolve) => this.options.clock.setTimer(EXEC_EXIT_CHECK_MS, resolve));
        result = await exec.inspect();
      }
      return { exitCode: result.ExitCode ?? EXEC_TIMED_OUT_EXIT_CODE, output: output.text(), timedOut: false };
    } catch (e) {
      throw engineError(e, 'exec', ctx);
    }
  }

  logs(id: string, options: LogOptions = {}): AsyncIterable<string> {
    return lazyIterable(async () => {
      const info = await this.inspectOwn(id, 'logs');
      if (info === undefined) throw new RuntimeError('NOT_FOUND', 'logs', 'no such container on this node', { containerId: id });
      const ctx = { containerId: id, containerName: info.containerName };
      const container = this.docker.getContainer(id);
      const tail = options.tailLines !== undefined ? { tail: Math.max(0, options.tailLines) } : {};
      try {
        if (options.follow === true) {
          const stream = (await container.logs({ follow: true, stdout: true, stderr: true, ...tail })) as unknown as Readable;
          return feedOfLogStream(stream);
        }
        const body: unknown = await container.logs({ follow: false, stdout: true, stderr: true, ...tail });
        const lines = linesOfLogBuffer(Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : ''));
        return iteratorOf(lines);
      } catch (e) {
        throw engineError(e, 'logs', ctx);
      }
    });
  }

  onExit(listener: (e: ContainerExit) => void): () => void {
    this.listeners.add(listener);
    if (this.watcher === undefined && !this.closed) {
      this.watcher = new ExitWatcher({
        docker: this.docker,
        nodeName: this.options.nodeName,
        clock: this.options.clock,
        reconnectMs: this.options.eventsReconnectMs ?? 1000,
        onExit: (e) => {
          for (const l of [...this.listeners]) l(e);
        },
      });
      this.watcher.start();
    }
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.watcher = undefined;
    this.listeners.clear();
    return Promise.resolve();
  }

  /** The container if it exists and belongs to this node; undefined otherwise. */
  private async inspectOwn(id: string, op: RuntimeOp): Promise<ContainerInfo | undefined> {
    let inspect: Docker.ContainerInspectInfo;
    try {
      inspect = await this.docker.getContainer(id).inspect();
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw engineError(e, op, { containerId: id });
    }
    const labels = parseLabels(inspect.Config.Labels);
    if (labels === undefined || labels.nodeName !== this.options.nodeName) return undefined;
    return infoOfInspect(inspect, labels);
  }

  private async ensureImage(image: string, ctx: RuntimeErrorContext): Promise<void> {
    try {
      await this.docker.getImage(image).inspect();
      return;
    } catch (e) {
      if (statusOf(e) !== 404) throw engineError(e, 'start', ctx);
    }
    const timeoutMs = this.options.pullTimeoutMs ?? 120_000;
    let outcome;
    try {
      outcome = await withDeadline(this.options.clock, timeoutMs, (abortSignal) => this.pull(image, abortSignal));
    } catch (e) {
      throw new RuntimeError('IMAGE_NOT_FOUND', 'start', `image ${image} is not present and cannot be pulled: ${messageOf(e).trim()}`, ctx, { cause: e });
    }
    if (outcome.type === 'timedOut') {
      throw new RuntimeError('IMAGE_NOT_FOUND', 'start', `image ${image} is not present and its pull took over ${timeoutMs} ms`, ctx);
    }
  }

  private async pull(image: string, abortSignal: AbortSignal): Promise<void> {
    const stream = (await this.docker.pull(image, { abortSignal })) as Readable;
    await new Promise<void>((resolve, reject) => {
      (this.docker.modem as { followProgress: (s: Readable, done: (err: unknown, out: unknown[]) => void) => void }).followProgress(stream, (err, out) => {
        // The engine reports a failed pull as an event in the stream, not as a status.
        const failed = out.find((o): o is { error: string } => typeof (o as { error?: unknown }).error === 'string');
        if (err !== null && err !== undefined) reject(err instanceof Error ? err : new Error(String(err)));
        else if (failed !== undefined) reject(new Error(failed.error));
        else resolve();
      });
    });
  }
}
