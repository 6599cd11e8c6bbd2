import { systemOfPath } from '../actors/path.js';
import type { ActorRef, Clock } from '../actors/index.js';
import type { ConfChange, NodeId } from './core/types.js';
import { NotLeaderError, ProposalDroppedError } from './errors.js';
import type { ReplicaMsg, ReplicaReply } from './protocol.js';

/** Anything that can turn a path into a ref and wait: an ActorSystem. */
export interface RefResolver {
  resolve<T>(path: string): ActorRef<T>;
  readonly world: { readonly clock: Clock };
}

export interface ReplicaClientOptions {
  /** Per request. Default 2,000 ms. */
  readonly timeoutMs?: number;
  /** How many times a request is sent elsewhere after NOT_LEADER. Default 10. */
  readonly redirects?: number;
  /** Wait before asking again when no replica knows a leader (doubles, up to 1 s). Default 50 ms. */
  readonly noLeaderBackoffMs?: number;
}

/**
 * Talks to a raft group from anywhere in the cluster: follows leader hints,
 * and retries only what is safe to retry (a proposal a non-leader refused
 * never entered the log). A timeout means the outcome is unknown and is
 * passed to the caller as an AskTimeoutError.
 */
export class ReplicaClient {
  private leaderPath: string;

  constructor(
    private readonly resolver: RefResolver,
    private readonly replicaPaths: readonly string[],
    private readonly options: ReplicaClientOptions = {},
  ) {
    this.leaderPath = replicaPaths[0] ?? '';
  }

  /** Proposes `data`; resolves with its log index and the state machine's result. */
  async propose(data: Uint8Array): Promise<{ index: number; result: unknown }> {
    const r = await this.request({ type: 'propose', data });
    return { index: r.index, result: r.result };
  }

  /** Proposes one membership change; resolves once it is applied on the leader. */
  async changeMembership(change: ConfChange): Promise<number> {
    return (await this.request({ type: 'conf-change', change })).index;
  }

  /** A linearizable read index: once applied there, a read is up to date. */
  async readIndex(): Promise<number> {
    return (await this.request({ type: 'read-index' })).index;
  }

  private async request(msg: ReplicaMsg): Promise<{ index: number; result?: unknown }> {
    const redirects = this.options.redirects ?? 10;
    let last: Error = new Error('no replicas');
    let backoffMs = this.options.noLeaderBackoffMs ?? 50;
    for (let attempt = 0; attempt <= redirects; attempt++) {
      const ref = this.resolver.resolve<ReplicaMsg>(this.leaderPath);
      let r: ReplicaReply;
      try {
        r = await ref.ask<ReplicaReply>(msg, { timeoutMs: this.options.timeoutMs ?? 2_000 });
      } catch (e) {
        // The outcome is unknown, so the caller decides about retrying; but
        // the next request goes to another replica, in case this one is dead.
        this.leaderPath = this.nextReplica();
        throw e;
      }
      if (r.ok) return r;
      if (r.code === 'DROPPED') throw new ProposalDroppedError(pathId(this.leaderPath), r.reason);
      last = new NotLeaderError(pathId(this.leaderPath), r.leader, r.leaderPath);
      if (r.leaderPath !== '') this.leaderPath = r.leaderPath;
      else {
        // An election is under way: give it time, then ask someone else.
        await new Promise<void>((resolve) => this.resolver.world.clock.setTimer(backoffMs, resolve));
        backoffMs = Math.min(1_000, backoffMs * 2);
        this.leaderPath = this.nextReplica();
      }
    }
    throw last;
  }

  /** The replica after the one asked last (in the list order). */
  private nextReplica(): string {
    const at = this.replicaPaths.indexOf(this.leaderPath);
    return this.replicaPaths[(at + 1) % this.replicaPaths.length]!;
  }
}

/** The replica id in a path: replicas run in a system named by their id. */
function pathId(path: string): NodeId {
  return systemOfPath(path);
}
