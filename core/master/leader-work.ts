import type { ActorContext, ActorRef, Behavior } from '../../actors/index.js';
import type { Leadership, ReplicaMsg } from '../../raft/index.js';

export interface LeaderWorkOptions {
  /** The local raft replica, e.g. `drover://m1/user/raft`. */
  readonly raftPath: string;
  /**
   * The actors that run only on the leader (the scheduler, the controllers),
   * by name. They are spawned when this master becomes leader and stopped,
   * with everything under them, as soon as it is not.
   */
  readonly workers: Readonly<Record<string, Behavior<never>>>;
}

/**
 * Starts and stops leader-only work by the local replica's leadership. Two
 * masters never run it in the same term: a replica reports `leader` only for
 * the term it won, and any other report stops the work at once.
 */
export function leaderWork(opts: LeaderWorkOptions) {
  return (ctx: ActorContext<Leadership>) => {
    let runningTerm = 0;
    ctx.resolve<ReplicaMsg>(opts.raftPath).tell({ type: 'subscribe-leadership' }, ctx.self as ActorRef<never>);

    const stopAll = () => {
      for (const child of ctx.children) ctx.stop(child);
      if (runningTerm > 0) ctx.log.info({ term: runningTerm }, 'leader-only work stopped');
      runningTerm = 0;
    };

    return {
      receive: (l: Leadership) => {
        if (l.role === 'leader' && runningTerm === l.term) return;
        stopAll();
        if (l.role !== 'leader') return;
        // Names are suffixed with the term: children of an old term may still be stopping.
        for (const [name, behavior] of Object.entries(opts.workers)) ctx.spawn(behavior, `${name}-t${l.term}`);
        runningTerm = l.term;
        ctx.log.info({ term: l.term, workers: Object.keys(opts.workers) }, 'leader-only work started');
      },
      postStop: stopAll,
    };
  };
}
