import type { ActorContext, Behavior } from '../../actors/index.js';
import type { Kind } from '../api/index.js';
import { ObjectCache } from '../cache/index.js';
import type { HeartbeatTable } from '../master/index.js';
import { schedulerActor } from '../scheduler/index.js';
import type { KvStore } from '../store/index.js';
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
  return (ctx: ActorContext<never>) => {
    const cache = new ObjectCache(opts.store, CACHED_KINDS);
    const leaderSinceMs = ctx.clock.now();
    if (opts.scheduler !== false) ctx.spawn(schedulerActor({ cache, apiPath: opts.apiPath }), 'scheduler');
    for (const def of controllerDefinitions({ heartbeats: opts.heartbeats, leaderSinceMs, settings: opts.controllers ?? {} })) {
      ctx.spawn(controllerActor(def, { cache, apiPath: opts.apiPath }), def.name);
    }
    return {
      receive: () => undefined,
      postStop: () => cache.close(),
    };
  };
}
