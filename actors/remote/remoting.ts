import type { Logger } from 'pino';
import type { ActorCell } from '../actor-cell.js';
import type { Undeliverable } from '../dead-letters.js';
import { FrameError, MessageEncodeError, messageTypeOf } from '../errors.js';
import { systemOfPath } from '../path.js';
import type { ActorRef } from '../ref.js';
import type { Clock, Schedule, TimerHandle } from '../world/clock.js';
import { Kind, assembleFrames, decodeFrame, encodeFrame, packEnvelope, type Envelope, type PackedEnvelope, type RefResolver } from './codec.js';
import type { Transport } from './transport.js';

export interface RemotingOptions {
  /** How often a watched system is asked for a sign of life. Default 500 ms. */
  readonly heartbeatIntervalMs: number;
  /** Silence after which a watched system is judged gone. Default 3,000 ms. */
  readonly unreachableAfterMs: number;
  /** Envelopes queued for one system before they are flushed without waiting. */
  readonly maxBatchEnvelopes: number;
}

export const DEFAULT_REMOTING: RemotingOptions = { heartbeatIntervalMs: 500, unreachableAfterMs: 3_000, maxBatchEnvelopes: 1024 };

/** What remoting needs from its system. */
export interface RemotingHost {
  readonly name: string;
  readonly clock: Clock;
  readonly schedule: Schedule;
  readonly log: Logger;
  readonly undeliverable: Undeliverable;
  readonly resolve: RefResolver;
  /** The live local cell at a path, if any. */
  lookupLocal(path: string): ActorCell<never> | undefined;
  /** Delivers a decoded user message to a local path; false when nobody is there. */
  deliverLocal(toPath: string, message: unknown, sender: ActorRef<never> | null): boolean;
}

/**
 * Carries messages to other systems and watches them. Outgoing envelopes are
 * queued per destination and flushed as one frame per destination per turn
 * (or sooner when many are queued), so a burst costs few transport sends.
 * Death watch across systems: a watcher system heartbeats every system it
 * watches; any frame counts as a sign of life, and a system silent for
 * `unreachableAfterMs` is judged gone: its watched actors are Terminated.
 */
export class Remoting {
  private readonly outbound = new Map<string, Envelope[]>();
  private flushScheduled = false;
  private readonly flushFn = (): void => this.flush();
  // system -> watchee path -> watcher cells (local)
  private readonly watched = new Map<string, Map<string, Set<ActorCell<never>>>>();
  private readonly lastHeardMs = new Map<string, number>();
  private heartbeatTimer: TimerHandle | null = null;
  private closed = false;

  constructor(
    private readonly host: RemotingHost,
    private readonly transport: Transport,
    private readonly options: RemotingOptions = DEFAULT_REMOTING,
  ) {}

  async start(): Promise<void> {
    await this.transport.bind(this.host.name, (frame, subject) => this.onFrame(frame, subject));
  }

  /** Flushes what is queued and stops listening. */
  async stop(): Promise<void> {
    this.flush();
    this.closed = true;
    if (this.heartbeatTimer) this.host.clock.cancelTimer(this.heartbeatTimer);
    await this.transport.unbind(this.host.name);
  }

  /** Stops at once, as a killed process would: nothing queued is sent. */
  abort(): void {
    this.closed = true;
    this.outbound.clear();
    if (this.heartbeatTimer) this.host.clock.cancelTimer(this.heartbeatTimer);
    void this.transport.unbind(this.host.name);
  }

  sendUser(toPath: string, message: unknown, senderPath: string | null): void {
    this.enqueue(systemOfPath(toPath), [Kind.User, toPath, senderPath, message]);
  }

  sendDeath(watcherPath: string, deadPath: string): void {
    this.enqueue(systemOfPath(watcherPath), [Kind.Death, deadPath, watcherPath]);
  }

  watch(watcheePath: string, watcher: ActorCell<never>): void {
    const sys = systemOfPath(watcheePath);
    let paths = this.watched.get(sys);
    if (paths === undefined) {
      this.watched.set(sys, (paths = new Map()));
      this.lastHeardMs.set(sys, this.host.clock.now());
    }
    let set = paths.get(watcheePath);
    if (set === undefined) paths.set(watcheePath, (set = new Set()));
    set.add(watcher);
    this.enqueue(sys, [Kind.Watch, watcheePath, watcher.path]);
    this.armHeartbeat();
  }

  unwatch(watcheePath: string, watcher: ActorCell<never>): void {
    const sys = systemOfPath(watcheePath);
    const set = this.watched.get(sys)?.get(watcheePath);
    if (set?.delete(watcher)) this.enqueue(sys, [Kind.Unwatch, watcheePath, watcher.path]);
    this.forget(sys, watcheePath, set);
  }

  // ---- outbound -------------------------------------------------------------

  private enqueue(toSystem: string, e: Envelope): void {
    if (this.closed) return;
    let q = this.outbound.get(toSystem);
    if (q === undefined) this.outbound.set(toSystem, (q = []));
    q.push(e);
    if (q.length >= this.options.maxBatchEnvelopes) this.flushTo(toSystem, q);
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.host.schedule(this.flushFn);
    }
  }

  flush(): void {
    this.flushScheduled = false;
    for (const [sys, q] of this.outbound) this.flushTo(sys, q);
  }

  private flushTo(toSystem: string, q: Envelope[]): void {
    this.outbound.delete(toSystem);
    if (q.length > 0) this.sendBatch(toSystem, q);
  }

  /**
   * Sends a batch as frames under the transport's limit, isolating
   * unencodable envelopes. The whole batch is packed once; only a batch too
   * big for one frame (or holding an unencodable payload) is packed envelope
   * by envelope and laid into as many frames as it needs, so no envelope is
   * packed more than twice (halving and packing again cost a thousand-node
   * agent process a fifth of a master's CPU).
   */
  private sendBatch(toSystem: string, batch: readonly Envelope[]): void {
    try {
      const frame = encodeFrame(this.host.name, batch);
      if (frame.byteLength <= this.transport.maxFrameBytes) return this.transport.send(this.host.name, toSystem, frame);
    } catch {
      // an unencodable payload: found below, envelope by envelope
    }
    const packed: PackedEnvelope[] = [];
    for (const e of batch) {
      try {
        packed.push(packEnvelope(e));
      } catch (err) {
        this.unencodable(e, err);
      }
    }
    const { frames, tooBig } = assembleFrames(this.host.name, packed, this.transport.maxFrameBytes);
    for (const f of frames) this.transport.send(this.host.name, toSystem, f);
    for (const p of tooBig) this.unencodable(p.envelope, new Error(`message of ${p.bytes.byteLength} bytes exceeds the transport's ${this.transport.maxFrameBytes}`));
  }

  private unencodable(e: Envelope, cause: unknown): void {
    if (e[0] !== Kind.User) return void this.host.log.error({ err: cause, kind: e[0] }, 'system envelope cannot be encoded');
    const err = new MessageEncodeError(e[1], messageTypeOf(e[3]), { cause });
    this.host.log.warn({ err, recipient: e[1] }, 'message cannot be sent');
    this.host.undeliverable.deadLetter(e[1], e[3], e[2], err.message);
  }

  // ---- inbound ------------------------------------------------------------

  private onFrame(bytes: Uint8Array, subject: string): void {
    if (this.closed) return;
    let frame;
    try {
      frame = decodeFrame(bytes, this.host.resolve);
    } catch (e) {
      const reason = e instanceof FrameError ? e.reason : String(e);
      return this.host.undeliverable.badFrame(subject, reason);
    }
    const from = frame.from;
    if (this.lastHeardMs.has(from)) this.lastHeardMs.set(from, this.host.clock.now());
    for (const e of frame.envelopes) this.onEnvelope(from, e, subject);
  }

  private onEnvelope(from: string, e: Envelope, subject: string): void {
    switch (e[0]) {
      case Kind.User: {
        const sender = e[2] === null ? null : this.host.resolve(e[2]);
        if (!this.host.deliverLocal(e[1], e[3], sender)) {
          this.host.undeliverable.deadLetter(e[1], e[3], e[2], `no such actor (from ${subject})`);
        }
        return;
      }
      case Kind.Watch: {
        const cell = this.host.lookupLocal(e[1]);
        if (cell === undefined) this.sendDeath(e[2], e[1]);
        else cell.system({ type: 'watch', watcher: this.host.resolve(e[2]) });
        return;
      }
      case Kind.Unwatch:
        this.host.lookupLocal(e[1])?.system({ type: 'unwatch', watcher: this.host.resolve(e[2]) });
        return;
      case Kind.Death:
        return this.onDeath(e[1], e[2]);
      case Kind.Heartbeat:
        return this.enqueue(from, [Kind.HeartbeatAck]);
      case Kind.HeartbeatAck:
        return;
    }
  }

  private onDeath(deadPath: string, watcherPath: string): void {
    const sys = systemOfPath(deadPath);
    const set = this.watched.get(sys)?.get(deadPath);
    const watcher = this.host.lookupLocal(watcherPath);
    if (watcher !== undefined && set?.delete(watcher)) {
      watcher.system({ type: 'death', ref: this.host.resolve(deadPath), addressTerminated: false });
    }
    this.forget(sys, deadPath, set);
  }

  private forget(sys: string, path: string, set: Set<ActorCell<never>> | undefined): void {
    if (set === undefined || set.size > 0) return;
    const paths = this.watched.get(sys)!;
    paths.delete(path);
    if (paths.size === 0) {
      this.watched.delete(sys);
      this.lastHeardMs.delete(sys);
    }
  }

  // ---- failure detection --------------------------------------------------

  private armHeartbeat(): void {
    if (this.heartbeatTimer !== null || this.closed) return;
    this.heartbeatTimer = this.host.clock.setTimer(this.options.heartbeatIntervalMs, () => {
      this.heartbeatTimer = null;
      this.checkWatched();
      if (this.watched.size > 0) this.armHeartbeat();
    });
  }

  private checkWatched(): void {
    const now = this.host.clock.now();
    for (const sys of [...this.watched.keys()]) {
      const silentMs = now - (this.lastHeardMs.get(sys) ?? now);
      if (silentMs >= this.options.unreachableAfterMs) this.systemGone(sys, silentMs);
      else this.enqueue(sys, [Kind.Heartbeat]);
    }
  }

  private systemGone(sys: string, silentMs: number): void {
    const paths = this.watched.get(sys)!;
    this.watched.delete(sys);
    this.lastHeardMs.delete(sys);
    this.host.log.warn({ remoteSystem: sys, silentMs, watchedActors: paths.size }, 'remote system unreachable; terminating its watched actors');
    for (const [path, watchers] of paths) {
      const ref = this.host.resolve(path);
      for (const w of watchers) w.system({ type: 'death', ref, addressTerminated: true });
    }
  }
}
