import type { ActorRef } from '../actors/index.js';
import type { NodeId } from './core/types.js';
import { NotLeaderError, ProposalDroppedError } from './errors.js';
import type { ReplicaMsg, ReplicaReply } from './protocol.js';

/** Anything that can turn a path into a ref: an ActorSystem or an ActorContext. */
export interface RefResolver {
  resolve<T>(path: string): ActorRef<T>;
}

export interface ReplicaClientOptions {
  /** Per request. Default 2,000 ms. */
  readonly timeoutMs?: number;
  /** How many times a request is sent elsewhere after NOT_LEADER. Default 10. */
  readonly redirects?: number;
}

/**
 * Talks to a raft group from anywhere in the cluster: follows leader hints,
 * and retries only what is safe to retry (a proposal a non-leader refused
 * never entered the log). A timeout means the outcome is unknown and is
 * passed to the caller as an AskTimeoutError.
 */
export class ReplicaClient {
  private leaderPath: string;
  private rotate = 0;

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

  /** A linearizable read index: once applied there, a read is up to date. */
  async readIndex(): Promise<number> {
    return (await this.request({ type: 'read-index' })).index;
  }

  private async request(msg: ReplicaMsg): Promise<{ index: number; result?: unknown }> {
    const redirects = this.options.redirects ?? 10;
    let last: Error = new Error('no replicas');
    for (let attempt = 0; attempt <= redirects; attempt++) {
      const ref = this.resolver.resolve<ReplicaMsg>(this.leaderPath);
      const r = await ref.ask<ReplicaReply>(msg, { timeoutMs: this.options.timeoutMs ?? 2_000 });
      if (r.ok) return r;
      if (r.code === 'DROPPED') throw new ProposalDroppedError(pathId(this.leaderPath), r.reason);
      last = new NotLeaderError(pathId(this.leaderPath), r.leader, r.leaderPath);
      this.leaderPath = r.leaderPath !== '' ? r.leaderPath : this.nextReplica();
    }
    throw last;
  }

  private nextReplica(): string {
    this.rotate = (this.rotate + 1) % this.replicaPaths.length;
    return this.replicaPaths[this.rotate]!;
  }
}

function pathId(path: string): NodeId {
  return path.split('/').pop() ?? path;
}
