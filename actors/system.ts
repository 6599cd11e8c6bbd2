import type { Logger } from 'pino';
import { ActorCell, type CellHost } from './actor-cell.js';
import type { Behavior, SpawnOptions } from './behavior.js';
import { Undeliverable } from './dead-letters.js';
import { DEFAULT_DISPATCHER, Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { AskTimeoutError, SystemTerminatedError, messageTypeOf } from './errors.js';
import { DeadRef, LocalActorRef } from './local-ref.js';
import { PATH_SCHEME, parseActorPath, systemOfPath, validateSystemName } from './path.js';
import { BaseRef, type ActorRef, type AskOptions } from './ref.js';
import { RemoteActorRef } from './remote/remote-ref.js';
import { DEFAULT_REMOTING, Remoting, type RemotingOptions } from './remote/remoting.js';
import { DEFAULT_STRATEGY, type SupervisorStrategy } from './supervision.js';
import type { TimerHandle } from './world/clock.js';
import type { World } from './world/world.js';

export interface ActorSystemOptions {
  /** Unique in the cluster; also the system's NATS subject token. */
  readonly name: string;
  /** `realWorld(...)` in production, a simulation's world in tests. */
  readonly world: World;
  /** How the user guardian supervises top-level actors. */
  readonly guardianStrategy?: SupervisorStrategy;
  readonly dispatcher?: Partial<DispatcherOptions>;
  readonly remoting?: Partial<RemotingOptions>;
  /** Default ask timeout. 5,000 ms. */
  readonly askTimeoutMs?: number;
}

/** Counters a system keeps about itself. */
export interface SystemStats {
  readonly deadLetters: number;
  readonly badFrames: number;
  readonly pendingAsks: number;
}

const noop = (): void => undefined;
const TERMINATE_LIMIT_MS = 10_000;
const REMOTE_REF_CACHE_MAX = 10_000;

/**
 * A tree of actors under one name: `drover://<name>/user/...` for yours,
 * `/temp/...` for ask replies. Create one with `ActorSystem.start`.
 */
export class ActorSystem implements CellHost {
  readonly name: string;
  readonly address: string;
  readonly world: World;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly defaultStrategy: SupervisorStrategy = DEFAULT_STRATEGY;
  private readonly undeliverable: Undeliverable;
  private readonly guardian: ActorCell<never>;
  private readonly remoting: Remoting | null;
  private readonly temps = new Map<string, AskReplyRef>();
  private readonly remoteDelivery = new Map<string, ActorCell<never>>();
  private readonly remoteRefs = new Map<string, ActorRef<never>>();
  private readonly askTimeoutMs: number;
  private nameSeq = 0;
  /**
   * Distinct per incarnation of a system (its start time and a random
   * number), so the reply path of an ask never repeats across restarts: a
   * receiver that drops duplicate deliveries by the asker's path (see
   * RecentSet) must not take a new ask for an old one.
   */
  private readonly incarnation: string;
  private state: 'running' | 'terminating' | 'terminated' = 'running';
  private terminatedResolve: () => void = noop;
  private guardianStopped: () => void = noop;
  /** Resolves once the system has terminated. */
  readonly whenTerminated: Promise<void>;

  private constructor(options: ActorSystemOptions) {
    validateSystemName(options.name);
    this.name = options.name;
    this.address = `${PATH_SCHEME}${options.name}`;
    this.world = options.world;
    const startedMs = options.world.clock.now();
    this.incarnation = `${startedMs.toString(36)}${options.world.random.fork(`temp:${options.name}:${startedMs}`).int(2 ** 30).toString(36)}`;
    this.logger = options.world.logger.child({ system: options.name });
    this.undeliverable = new Undeliverable(this.logger);
    this.dispatcher = new Dispatcher(options.world.schedule, { ...DEFAULT_DISPATCHER, ...options.dispatcher }, options.world.yieldToHost);
    this.askTimeoutMs = options.askTimeoutMs ?? 5_000;
    this.whenTerminated = new Promise((resolve) => (this.terminatedResolve = resolve));
    const guardianOptions = { supervisorStrategy: options.guardianStrategy ?? DEFAULT_STRATEGY };
    this.guardian = new ActorCell<never>(this, null, 'user', () => noop, guardianOptions);
    const transport = options.world.transport;
    this.remoting =
      transport === null
        ? null
        : new Remoting(
            {
              name: this.name,
              clock: this.world.clock,
              schedule: this.world.schedule,
              log: this.logger,
              undeliverable: this.undeliverable,
              resolve: (p) => this.resolve(p),
              lookupLocal: (p) => this.lookupLocal(p),
              deliverLocal: (p, m, s) => this.deliverLocal(p, m, s),
            },
            transport,
            { ...DEFAULT_REMOTING, ...options.remoting },
          );
  }

  /** Creates a system and, when its world has a transport, starts listening. */
  static async start(options: ActorSystemOptions): Promise<ActorSystem> {
    const system = new ActorSystem(options);
    await system.remoting?.start();
    system.logger.debug({ world: options.world.kind }, 'actor system started');
    return system;
  }

  get stats(): SystemStats {
    return { deadLetters: this.undeliverable.deadLetters, badFrames: this.undeliverable.badFrames, pendingAsks: this.temps.size };
  }

  /** Spawns a top-level actor under `/user`. */
  spawn<M>(behavior: Behavior<M>, name?: string, options?: SpawnOptions): ActorRef<M> {
    this.assertRunning();
    return this.guardian.spawn(behavior, name, options);
  }

  /** Stops a top-level actor (children are stopped by their parents). */
  stop(ref: ActorRef<never>): void {
    this.guardian.stop(ref);
  }

  /** Sends `message` and waits for one reply. Rejects with AskTimeoutError. */
  ask<R = unknown>(target: ActorRef<never>, message: unknown, options?: AskOptions): Promise<R> {
    const timeoutMs = options?.timeoutMs ?? this.askTimeoutMs;
    return new Promise<R>((resolve, reject) => {
      if (this.state === 'terminated') return reject(new SystemTerminatedError(this.name));
      const path = `${this.address}/temp/$${this.incarnation}.${(this.nameSeq++).toString(36)}`;
      const ref = new AskReplyRef(path, this, resolve as (v: unknown) => void);
      this.temps.set(path, ref);
      ref.timer = this.world.clock.setTimer(timeoutMs, () => {
        this.temps.delete(path);
        ref.done = true;
        reject(new AskTimeoutError(target.path, messageTypeOf(message), timeoutMs));
      });
      try {
        (target as ActorRef<unknown>).tell(message, ref as ActorRef<never>);
      } catch (e) {
        ref.settle();
        reject(e as Error);
      }
    });
  }

  /** A ref for any path: local, remote (through the transport) or dead. */
  resolve<M = unknown>(path: string): ActorRef<M> {
    const sys = systemOfPath(path);
    if (sys !== this.name) {
      const cached = this.remoteRefs.get(path);
      if (cached !== undefined) return cached as ActorRef<M>;
      parseActorPath(path);
      if (this.remoting === null) return new DeadRef(path, this, 'no transport to reach other systems');
      // Senders of incoming messages repeat: keep their refs, within a bound.
      if (this.remoteRefs.size >= REMOTE_REF_CACHE_MAX) this.remoteRefs.clear();
      const ref = new RemoteActorRef<M>(path, this);
      this.remoteRefs.set(path, ref as ActorRef<never>);
      return ref;
    }
    const temp = this.temps.get(path);
    if (temp !== undefined) return temp as ActorRef<never>;
    const cell = this.lookupLocal(path);
    return cell ? (cell.self as ActorRef<M>) : new DeadRef<M>(path, this, 'no such actor');
  }

  /** Stops every actor, flushes the transport's queue and stops listening. */
  async terminate(): Promise<void> {
    if (this.state !== 'running') return this.whenTerminated;
    this.state = 'terminating';
    const stopped = new Promise<void>((resolve) => (this.guardianStopped = resolve));
    this.guardian.system({ type: 'stop' });
    // A postStop that never settles must not hold the process forever.
    let timer: TimerHandle | null = null;
    const limit = new Promise<void>((resolve) => (timer = this.world.clock.setTimer(TERMINATE_LIMIT_MS, resolve)));
    await Promise.race([stopped, limit]);
    if (timer) this.world.clock.cancelTimer(timer);
    await this.remoting?.stop();
    this.finishTermination();
    return this.whenTerminated;
  }

  /** Dies at once, like a process killed with -9: no stops, no goodbyes. */
  crash(): void {
    if (this.state === 'terminated') return;
    this.remoting?.abort();
    for (const t of this.temps.values()) t.settle();
    this.temps.clear();
    this.state = 'terminated';
    this.terminatedResolve();
  }

  // ---- CellHost / internals ---------------------------------------------

  nextChildName(): string {
    return `$${(this.nameSeq++).toString(36)}`;
  }

  deadLetter(recipientPath: string, message: unknown, sender: ActorRef<never> | null, reason: string): void {
    this.undeliverable.deadLetter(recipientPath, message, sender?.path ?? null, reason);
  }

  sendRemote(toPath: string, message: unknown, sender: ActorRef<never> | null): void {
    if (this.state === 'terminated' || this.remoting === null) return this.deadLetter(toPath, message, sender, 'system terminated');
    this.remoting.sendUser(toPath, message, sender?.path ?? null);
  }

  remoteWatch(watcheePath: string, watcher: ActorCell<never>): void {
    this.remoting?.watch(watcheePath, watcher);
  }

  remoteUnwatch(watcheePath: string, watcher: ActorCell<never>): void {
    this.remoting?.unwatch(watcheePath, watcher);
  }

  sendDeath(watcherPath: string, deadPath: string): void {
    this.remoting?.sendDeath(watcherPath, deadPath);
  }

  cellStopped(cell: ActorCell<never>): void {
    this.remoteDelivery.delete(cell.path);
    if (cell === this.guardian) this.guardianStopped();
  }

  /** The live local cell at `path`, walking the tree from the guardian. */
  lookupLocal(path: string): ActorCell<never> | undefined {
    const { system, elements } = parseActorPath(path);
    if (system !== this.name || elements[0] !== 'user') return undefined;
    let cell: ActorRef<never> | undefined = this.guardian.self as ActorRef<never>;
    for (let i = 1; i < elements.length && cell !== undefined; i++) {
      cell = (cell as LocalActorRef<never>).cell.child(elements[i]!);
    }
    const found = (cell as LocalActorRef<never> | undefined)?.cell;
    return found && !found.isStopped ? found : undefined;
  }

  private deliverLocal(toPath: string, message: unknown, sender: ActorRef<never> | null): boolean {
    const temp = this.temps.get(toPath);
    if (temp !== undefined) {
      temp.tell(message);
      return true;
    }
    let cell = this.remoteDelivery.get(toPath);
    if (cell === undefined || cell.isStopped) {
      cell = this.lookupLocal(toPath);
      if (cell === undefined) return false;
      this.remoteDelivery.set(toPath, cell);
    }
    try {
      cell.enqueueUser(message, sender);
    } catch (e) {
      this.deadLetter(toPath, message, sender, (e as Error).message);
    }
    return true;
  }

  private assertRunning(): void {
    if (this.state !== 'running') throw new SystemTerminatedError(this.name);
  }

  private finishTermination(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    for (const t of this.temps.values()) t.settle();
    this.temps.clear();
    this.terminatedResolve();
  }

  /** @internal */
  forgetTemp(path: string): void {
    this.temps.delete(path);
  }
}

/** The temporary ref an ask replies to: its first message settles the ask. */
class AskReplyRef extends BaseRef<unknown> {
  timer: TimerHandle | null = null;
  done = false;

  constructor(
    readonly path: string,
    private readonly system: ActorSystem,
    private readonly resolveFn: (v: unknown) => void,
  ) {
    super();
  }

  tell(message: unknown): void {
    if (this.done) return;
    this.settle();
    this.resolveFn(message);
  }

  ask<R>(message: unknown, options?: AskOptions): Promise<R> {
    return this.system.ask<R>(this as ActorRef<never>, message, options);
  }

  settle(): void {
    this.done = true;
    if (this.timer) this.system.world.clock.cancelTimer(this.timer);
    this.system.forgetTemp(this.path);
  }
}

/** True for refs that point into this process's memory (no serialization). */
export function isLocalRef(ref: ActorRef<never>): boolean {
  return ref instanceof LocalActorRef;
}
