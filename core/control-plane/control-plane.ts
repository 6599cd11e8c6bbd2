import type { ActorContext, Behavior } from '../../actors/index.js';
import type { Kind } from '../api/index.js';
import { ObjectCache } from '../cache/index.js';
import type { HeartbeatTable } from '../master/index.js';
import { schedulerActor } from '../scheduler/index.js';
import type { KvStore } from '../store/index.js';
import type { ReplicaMsg, ReplicaReply } from '../../raft/index.js';
import { controllerDefinitions, type ControllerSettings } from './controllers.js';
import { controllerActor } from '../control-loop/index.js';

export interface ControlPlaneOptions {
  /** The master's store (the leader's is current). */
  readonly store: KvStore;
  /** The local API actor. */
  readonly apiPath: string;
  /** The heartbeats this master hears, for the node lifecycle controller. */
  readonly heartbeats: HeartbeatTable;
  readonly controllers?: Partial<ControllerSettings>;
  /** Run the scheduler. Default true. */
  readonly scheduler?: boolean;
  /** The local raft replica: the control plane starts once the store has applied everything committed before. */
  readonly raftPath?: string;
}

/** The kinds the leader-only work reads. */
const CACHED_KINDS: readonly Kind[] = ['Pod', 'Node', 'ReplicaSet', 'Deployment', 'Event'];

/**
 * The leader-only control plane: one cache of the store's objects, and under
 * it the scheduler and every controller, each an actor. It is started by
 * leaderWork when this master becomes leader and stopped (with all of it)
 * as soon as it is not, so two masters never run it in the same term.
 */
export function controlPlane(opts: ControlPlaneOptions): Behavior<never> {
  return (ctx: ActorContext<ControlPlaneMsg>) => {
    let cache: ObjectCache | null = null;
    const leaderSinceMs = ctx.clock.now();

    function start(): void {
      const c = (cache = new ObjectCache(opts.store, CACHED_KINDS));
      if (opts.scheduler !== false) ctx.spawn(schedulerActor({ cache: c, apiPath: opts.apiPath }), 'scheduler');
      for (const def of controllerDefinitions({ heartbeats: opts.heartbeats, leaderSinceMs, settings: opts.controllers ?? {} })) {
        ctx.spawn(controllerActor(def, { cache: c, apiPath: opts.apiPath }), def.name);
      }
    }

    /**
     * A new leader may not have applied what the old one committed: the
     * controllers would then see too few pods and make more. A ReadIndex
     * returns once this store has applied everything committed before it.
     */
    function caughtUp(): void {
      if (opts.raftPath === undefined) return start();
      ctx.resolve<ReplicaMsg>(opts.raftPath)
        .ask<ReplicaReply>({ type: 'read-index' }, { timeoutMs: 2_000 })
        .then(
          (r) => ctx.self.tell(r.ok ? { type: 'caught-up' } : { type: 'retry' }),
          () => ctx.self.tell({ type: 'retry' }),
        );
    }

    return {
      preStart: caughtUp,
      receive: (m: ControlPlaneMsg) => {
        if (m.type === 'caught-up' && cache === null) start();
        else if (m.type === 'retry') ctx.timers.startSingle('retry', { type: 'catch-up' }, 200);
        else if (m.type === 'catch-up') caughtUp();
      },
      postStop: () => cache?.close(),
    };
  };
}

type ControlPlaneMsg = { readonly type: 'caught-up' } | { readonly type: 'retry' } | { readonly type: 'catch-up' };
