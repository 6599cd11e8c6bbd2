import type { Logger } from 'pino';
import { ActorTimers, STALE_TIMER } from './actor-timers.js';
import { instantiate, type Behavior, type Instance, type SpawnOptions } from './behavior.js';
import type { ActorContext } from './context.js';
import type { Dispatcher } from './dispatcher.js';
import { ActorNameTakenError, MailboxFullError, messageTypeOf } from './errors.js';
import { LocalActorRef, type RefHost } from './local-ref.js';
import { Mailbox, UNBOUNDED } from './mailbox.js';
import { TimerFire, waitsForIdle, type SystemMessage } from './messages.js';
import { PATH_SCHEME, validateActorName } from './path.js';
import type { ActorRef, AskOptions, Terminated } from './ref.js';
import { backoffDelayMs, recordRestart, type SupervisorStrategy } from './supervision.js';
import type { World } from './world/world.js';

/** What a cell needs from its system. */
export interface CellHost extends RefHost {
  readonly name: string;
  readonly world: World;
  readonly dispatcher: Dispatcher;
  readonly defaultStrategy: SupervisorStrategy;
  readonly logger: Logger;
  nextChildName(): string;
  remoteWatch(watcheePath: string, watcher: ActorCell<never>): void;
  remoteUnwatch(watcheePath: string, watcher: ActorCell<never>): void;
  sendDeath(watcherPath: string, deadPath: string): void;
  cellStopped(cell: ActorCell<never>): void;
  resolve<T>(path: string): ActorRef<T>;
}

type Thenable = { then(ok: () => void, fail: (e: unknown) => void): unknown };
const isThenable = (r: unknown): r is Thenable =>
  r !== undefined && r !== null && typeof (r as { then?: unknown }).then === 'function';

/**
 * The runtime state of one actor, and the context its behaviour sees. Fields
 * that most actors never use (children, watchers, timers, logger) are created
 * on first use so an idle actor stays small.
 * Invariants: at most one message is being handled (busy covers async ones);
 * a stopped cell never runs user code again.
 */
export class ActorCell<M> implements ActorContext<M> {
  readonly self: LocalActorRef<M>;
  sender: ActorRef<never> | null = null;
  /** @internal set by the dispatcher while the cell waits in its run queue */
  queued = false;
  private instance: Instance<M> | null = null;
  private readonly mailbox: Mailbox;
  private sysQueue: SystemMessage[] | null = null;
  private busy = false;
  private suspended = false;
  private stopping = false;
  private stopped = false;
  private restarting: { error: unknown; message: unknown } | null = null;
  private childCells: Map<string, ActorCell<never>> | null = null;
  private watchers: ActorRef<never>[] | null = null;
  private watching: Map<string, { ref: ActorRef<never>; message: unknown }> | null = null;
  private timerTable: ActorTimers<M> | null = null;
  private logger: Logger | null = null;
  private cachedPath: string | null = null;
  /** @internal restart times, kept by the parent's supervision */
  restartTimes: number[] | null = null;

  constructor(
    readonly host: CellHost,
    readonly parentCell: ActorCell<never> | null,
    readonly name: string,
    private readonly behavior: Behavior<M>,
    private readonly options: SpawnOptions | undefined,
  ) {
    this.self = new LocalActorRef(this);
    this.mailbox = options?.mailbox && options.mailbox !== UNBOUNDED ? new Mailbox(options.mailbox) : new Mailbox();
    this.system({ type: 'start' });
  }

  // ---- ActorContext -------------------------------------------------------

  get path(): string {
    if (this.cachedPath === null) {
      this.cachedPath = this.parentCell ? `${this.parentCell.path}/${this.name}` : `${PATH_SCHEME}${this.host.name}/${this.name}`;
    }
    return this.cachedPath;
  }
  get parent(): ActorRef<never> | null {
    return this.parentCell?.self ?? null;
  }
  get children(): ActorRef<never>[] {
    return this.childCells ? [...this.childCells.values()].map((c) => c.self) : [];
  }
  get clock() {
    return this.host.world.clock;
  }
  get random() {
    return this.host.world.random;
  }
  get systemName(): string {
    return this.host.name;
  }
  get log(): Logger {
    return (this.logger ??= this.host.logger.child({ actor: this.path }));
  }
  get timers(): ActorTimers<M> {
    return (this.timerTable ??= new ActorTimers<M>(this.clock, (fire) => this.enqueueUser(fire as M, null)));
  }
  get isStopped(): boolean {
    return this.stopped;
  }

  child(name: string): ActorRef<never> | undefined {
    return this.childCells?.get(name)?.self;
  }

  spawn<C>(behavior: Behavior<C>, name?: string, options?: SpawnOptions): ActorRef<C> {
    if (name === undefined) name = this.host.nextChildName();
    else validateActorName(name);
    const kids = (this.childCells ??= new Map());
    if (kids.has(name)) throw new ActorNameTakenError(`${this.path}/${name}`);
    const cell = new ActorCell<C>(this.host, this as ActorCell<never>, name, behavior, options);
    kids.set(name, cell as ActorCell<never>);
    this.host.world.trace?.(`spawn ${cell.path}`);
    return cell.self;
  }

  stop(ref?: ActorRef<never>): void {
    if (ref === undefined || ref.equals(this.self as ActorRef<never>)) return this.system({ type: 'stop' });
    if (ref instanceof LocalActorRef && ref.cell.parentCell === (this as ActorCell<never>)) return ref.cell.system({ type: 'stop' });
    throw new Error(`${this.path} can stop only itself or its children, not ${ref.path}`);
  }

  watch(ref: ActorRef<never>, message?: M): void {
    const watching = (this.watching ??= new Map());
    watching.set(ref.path, { ref, message });
    if (ref instanceof LocalActorRef) (ref.cell as ActorCell<never>).system({ type: 'watch', watcher: this.self as ActorRef<never> });
    else this.host.remoteWatch(ref.path, this as ActorCell<never>);
  }

  unwatch(ref: ActorRef<never>): void {
    if (!this.watching?.delete(ref.path)) return;
    if (ref instanceof LocalActorRef) (ref.cell as ActorCell<never>).system({ type: 'unwatch', watcher: this.self as ActorRef<never> });
    else this.host.remoteUnwatch(ref.path, this as ActorCell<never>);
  }

  forward<T>(target: ActorRef<T>, message: T): void {
    target.tell(message, this.sender);
  }

  reply(message: unknown): void {
    (this.sender as ActorRef<unknown> | null)?.tell(message, this.self as ActorRef<never>);
  }

  ask<R = unknown, T = unknown>(target: ActorRef<T>, message: T, options?: AskOptions): Promise<R> {
    return this.host.ask<R>(target as ActorRef<never>, message, options);
  }

  resolve<T = unknown>(path: string): ActorRef<T> {
    return this.host.resolve<T>(path);
  }

  delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimer(ms, resolve));
  }

  // ---- Delivery -----------------------------------------------------------

  enqueueUser(message: unknown, sender: ActorRef<never> | null): void {
    if (this.stopped) return this.host.deadLetter(this.path, message, sender, 'actor stopped');
    const r = this.mailbox.offer(message, sender);
    if (r.type !== 'accepted') {
      if (r.type === 'evicted') this.host.deadLetter(this.path, r.message, r.sender as ActorRef<never>, 'mailbox full, oldest dropped');
      else if (this.options?.mailbox?.kind === 'bounded' && this.options.mailbox.overflow === 'fail') {
        throw new MailboxFullError(this.path, this.mailbox.capacity, messageTypeOf(message));
      } else return this.host.deadLetter(this.path, message, sender, 'mailbox full, newest dropped');
    }
    if (!this.queued && !this.busy && !this.suspended) this.host.dispatcher.enqueue(this as ActorCell<never>);
  }

  /** @internal enqueue a system message */
  system(m: SystemMessage): void {
    if (this.stopped) return this.afterStopped(m);
    (this.sysQueue ??= []).push(m);
    if (!this.queued) this.host.dispatcher.enqueue(this as ActorCell<never>);
  }

  /** @internal called by the dispatcher: handle up to `throughput` messages. */
  run(throughput: number): void {
    if (this.sysQueue !== null) this.processSystem();
    if (this.busy || this.suspended || this.stopping || this.instance === null) return;
    const mb = this.mailbox;
    // Only what was queued when the turn began: an actor that keeps telling
    // itself cannot hold the dispatcher for a whole batch.
    let n = Math.min(throughput, mb.size);
    while (n-- > 0 && mb.size > 0) {
      const msg = mb.shift(this);
      this.invoke(msg);
      if (this.busy || this.suspended || this.sysQueue !== null) break;
    }
    if (!this.busy && !this.suspended && (mb.size > 0 || this.sysQueue !== null)) this.host.dispatcher.enqueue(this as ActorCell<never>);
  }

  private invoke(raw: unknown): void {
    let msg = raw;
    if (raw instanceof TimerFire) {
      msg = this.timerTable?.accept(raw) ?? STALE_TIMER;
      if (msg === STALE_TIMER) return;
    }
    const trace = this.host.world.trace;
    if (trace !== null) trace(`recv ${this.path} ${messageTypeOf(msg)}`);
    let r: void | Promise<void>;
    try {
      r = this.instance!.receive(msg as M);
    } catch (e) {
      return this.fail(e, msg);
    }
    if (isThenable(r)) this.awaitBusy(r, () => undefined, (e) => this.fail(e, msg));
  }

  /** Holds the actor until `r` settles, then continues with ok/failed. */
  private awaitBusy(r: Thenable, ok: () => void, failed: (e: unknown) => void): void {
    this.busy = true;
    r.then(
      () => this.settle(ok),
      (e) => this.settle(() => failed(e)),
    );
  }

  private settle(next: () => void): void {
    this.busy = false;
    next();
    this.kick();
  }

  private kick(): void {
    if (this.stopped || this.busy || this.queued) return;
    if (this.sysQueue !== null || (!this.suspended && this.mailbox.size > 0)) this.host.dispatcher.enqueue(this as ActorCell<never>);
  }

  /** Runs a lifecycle hook that may be async; errors go to `onError`. */
  private hook(fn: (() => void | Promise<void>) | undefined, done: () => void, onError: (e: unknown) => void): void {
    let r: void | Promise<void>;
    try {
      r = fn?.();
    } catch (e) {
      onError(e);
      return;
    }
    if (isThenable(r)) this.awaitBusy(r, done, onError);
    else done();
  }

  // ---- System messages ----------------------------------------------------

  private processSystem(): void {
    const q = this.sysQueue!;
    this.sysQueue = null;
    let kept: SystemMessage[] | null = null;
    for (let i = 0; i < q.length; i++) {
      const m = q[i]!;
      if (this.stopped) this.afterStopped(m);
      else if ((this.busy || this.restarting !== null) && waitsForIdle(m)) (kept ??= []).push(m);
      else this.handleSystem(m);
    }
    if (kept !== null) this.sysQueue = this.sysQueue === null ? kept : kept.concat(this.sysQueue);
  }

  private handleSystem(m: SystemMessage): void {
    switch (m.type) {
      case 'start':
        return this.create(undefined);
      case 'stop':
        return this.beginStop();
      case 'resume':
        if (this.instance === null) return this.beginRestart(new Error('resume without an instance'), undefined);
        this.suspended = false;
        return;
      case 'restart':
        return this.beginRestart(m.error, m.message);
      case 'failed':
        return this.superviseChild(m.child, m.error, m.message);
      case 'child-stopped':
        return this.childStopped(m.child);
      case 'watch':
        (this.watchers ??= []).push(m.watcher);
        return;
      case 'unwatch':
        if (this.watchers) this.watchers = this.watchers.filter((w) => !w.equals(m.watcher));
        return;
      case 'death':
        return this.deliverDeath(m.ref, m.addressTerminated);
    }
  }

  /** A system message that reaches a stopped cell. */
  private afterStopped(m: SystemMessage): void {
    if (m.type === 'watch') this.notifyDeath(m.watcher);
  }

  private deliverDeath(ref: ActorRef<never>, addressTerminated: boolean): void {
    const w = this.watching?.get(ref.path);
    // A stopping actor handles no more messages: its children's deaths are expected.
    if (w === undefined || this.stopping) return;
    this.watching!.delete(ref.path);
    const message = w.message !== undefined ? w.message : ({ type: 'Terminated', ref: w.ref, addressTerminated } satisfies Terminated);
    this.enqueueUser(message, null);
  }

  // ---- Lifecycle ----------------------------------------------------------

  private create(cause: { error: unknown } | undefined): void {
    let inst: Instance<M>;
    try {
      inst = instantiate(this.behavior, this);
    } catch (e) {
      return this.fail(e, undefined);
    }
    this.instance = inst;
    this.suspended = false;
    const hook = cause && inst.postRestart ? () => inst.postRestart!(cause.error) : inst.preStart?.bind(inst);
    this.hook(hook, () => undefined, (e) => this.fail(e, undefined));
  }

  /** The current message (or hook) failed: suspend and ask the parent. */
  private fail(error: unknown, message: unknown): void {
    if (this.stopped) return;
    this.suspended = true;
    this.log.warn({ err: error, messageType: messageTypeOf(message) }, 'actor failed');
    this.host.world.trace?.(`fail ${this.path}`);
    if (this.parentCell === null) return this.beginStop();
    this.parentCell.system({ type: 'failed', child: this as ActorCell<never>, error, message });
  }

  private strategy(): SupervisorStrategy {
    return this.instance?.supervisorStrategy ?? this.options?.supervisorStrategy ?? this.host.defaultStrategy;
  }

  private superviseChild(child: ActorCell<never>, error: unknown, message: unknown): void {
    if (child.parentCell !== (this as ActorCell<never>) || child.stopped) return;
    const s = this.strategy();
    let directive;
    try {
      directive = s.decide(error);
    } catch {
      directive = 'escalate' as const;
    }
    if (directive === 'escalate') {
      if (this.parentCell === null) return child.system({ type: 'stop' });
      return this.fail(error, message);
    }
    const targets = s.kind === 'all-for-one' && directive !== 'resume' ? [...(this.childCells?.values() ?? [])] : [child];
    for (const t of targets) {
      if (directive === 'resume') t.system({ type: 'resume' });
      else if (directive === 'stop') t.system({ type: 'stop' });
      else this.scheduleRestart(t, s, t === child ? error : undefined, t === child ? message : undefined);
    }
  }

  private scheduleRestart(child: ActorCell<never>, s: SupervisorStrategy, error: unknown, message: unknown): void {
    const attempt = recordRestart((child.restartTimes ??= []), this.clock.now(), s);
    if (attempt < 0) {
      child.log.error({ maxRestarts: s.maxRestarts, withinMs: s.withinMs }, 'restart limit reached; stopping');
      return child.system({ type: 'stop' });
    }
    const delayMs = backoffDelayMs(s.backoff, attempt, this.random);
    const restart = () => child.system({ type: 'restart', error, message });
    if (delayMs <= 0) restart();
    else this.clock.setTimer(delayMs, restart);
  }

  private beginRestart(error: unknown, message: unknown): void {
    if (this.stopping) return;
    this.suspended = true;
    this.timerTable?.cancelAll();
    const old = this.instance;
    this.instance = null;
    const hook = old?.preRestart ? () => old.preRestart!(error, message) : old?.postStop?.bind(old);
    this.host.world.trace?.(`restart ${this.path}`);
    this.hook(
      hook,
      () => this.restartAfterChildren(error, message),
      (e) => {
        this.log.warn({ err: e }, 'preRestart failed');
        this.restartAfterChildren(error, message);
      },
    );
  }

  private restartAfterChildren(error: unknown, message: unknown): void {
    this.restarting = { error, message };
    if (this.childCells !== null && this.childCells.size > 0) {
      for (const c of this.childCells.values()) c.system({ type: 'stop' });
      return; // continues in childStopped
    }
    this.restarting = null;
    this.create({ error });
    this.log.info('actor restarted');
  }

  private beginStop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.timerTable?.cancelAll();
    if (this.childCells !== null && this.childCells.size > 0) {
      for (const c of this.childCells.values()) c.system({ type: 'stop' });
      return; // continues in childStopped
    }
    this.finishStop();
  }

  private childStopped(child: ActorCell<never>): void {
    this.childCells?.delete(child.name);
    if (this.childCells !== null && this.childCells.size > 0) return;
    if (this.stopping) this.finishStop();
    else if (this.restarting !== null) this.restartAfterChildren(this.restarting.error, this.restarting.message);
  }

  private finishStop(): void {
    const inst = this.instance;
    this.instance = null;
    this.hook(
      inst?.postStop?.bind(inst),
      () => this.markStopped(),
      (e) => {
        this.log.warn({ err: e }, 'postStop failed');
        this.markStopped();
      },
    );
  }

  private markStopped(): void {
    this.stopped = true;
    this.host.world.trace?.(`stopped ${this.path}`);
    this.mailbox.drain((m, s) => {
      if (!(m instanceof TimerFire)) this.host.deadLetter(this.path, m, s as ActorRef<never>, 'actor stopped');
    });
    for (const w of this.watchers ?? []) this.notifyDeath(w);
    this.watchers = null;
    if (this.watching !== null) {
      for (const { ref } of this.watching.values()) if (!(ref instanceof LocalActorRef)) this.host.remoteUnwatch(ref.path, this as ActorCell<never>);
      this.watching = null;
    }
    const q = this.sysQueue;
    this.sysQueue = null;
    for (const m of q ?? []) this.afterStopped(m);
    this.parentCell?.system({ type: 'child-stopped', child: this as ActorCell<never> });
    this.host.cellStopped(this as ActorCell<never>);
  }

  private notifyDeath(watcher: ActorRef<never>): void {
    if (watcher instanceof LocalActorRef) (watcher.cell as ActorCell<never>).system({ type: 'death', ref: this.self as ActorRef<never>, addressTerminated: false });
    else this.host.sendDeath(watcher.path, this.path);
  }
}
