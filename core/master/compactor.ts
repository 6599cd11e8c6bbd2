import type { ActorContext } from '../../actors/index.js';
import type { ReplicaMsg, ReplicaReply } from '../../raft/index.js';
import { encodeCommand, type KvStore } from '../store/index.js';

export interface CompactorOptions {
  /** The leader's store (the compactor runs only on the leader). */
  readonly store: KvStore;
  /** The local raft replica. */
  readonly raftPath: string;
  /**
   * How often to compact, and so how much history is kept at least: each
   * round compacts up to the revision the store had one interval earlier
   * (as the Kubernetes API server does with etcd). Watches and reads of
   * older revisions then get a "compacted" error and must list again.
   */
  readonly intervalMs: number;
  /** Default 5,000 ms. */
  readonly proposeTimeoutMs?: number;
}

type CompactorMsg = { readonly type: 'tick' };

/**
 * Leader-only work that bounds the store's history (old versions and watch
 * events, which snapshots carry too): without it both grow for ever.
 */
export function compactor(opts: CompactorOptions) {
  return (ctx: ActorContext<CompactorMsg>) => {
    const raft = ctx.resolve<ReplicaMsg>(opts.raftPath);
    // The revision seen one interval ago: the next round compacts up to it.
    let previous = opts.store.revision;
    ctx.timers.startPeriodic('compact', { type: 'tick' }, opts.intervalMs);
    return async (_m: CompactorMsg): Promise<void> => {
      const target = previous;
      previous = opts.store.revision;
      if (target <= opts.store.compactRevision) return;
      const r = await raft.ask<ReplicaReply>({ type: 'propose', data: encodeCommand({ type: 'compact', revision: target }) }, { timeoutMs: opts.proposeTimeoutMs ?? 5_000 }).catch((e: unknown) => {
        ctx.log.warn({ err: e, revision: target }, 'compaction proposal got no answer');
        return null;
      });
      if (r === null) return;
      if (!r.ok) ctx.log.info({ code: r.code, revision: target }, 'compaction not proposed');
      else ctx.log.info({ revision: target, index: r.index }, 'store compacted');
    };
  };
}
