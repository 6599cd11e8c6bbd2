import type { ActorContext } from '../../actors/index.js';

/**
 * What a node agent tells every master's `/user/node-heartbeats` actor, every
 * heartbeat interval. Heartbeats are not written to the log: each master
 * keeps the last time it heard each node in memory, and only the leader's
 * node lifecycle controller acts on it (writing Ready -> Unknown, evicting).
 */
export interface NodeHeartbeat {
  readonly type: 'node-heartbeat';
  readonly nodeName: string;
  /** Changes when the agent restarts, so a restarted agent is told apart from a late heartbeat. */
  readonly bootId: string;
}

/** The actor's path on master `id`. */
export const heartbeatPathOf = (id: string): string => `drover://${id}/user/node-heartbeats`;

export interface HeartbeatSeen {
  /** When this master last heard the node, on its own clock (ms). */
  readonly lastSeenMs: number;
  readonly bootId: string;
}

/** The last heartbeat of each node, as this master heard them. */
export class HeartbeatTable {
  private readonly seen = new Map<string, HeartbeatSeen>();

  record(nodeName: string, bootId: string, nowMs: number): void {
    this.seen.set(nodeName, { lastSeenMs: nowMs, bootId });
  }

  get(nodeName: string): HeartbeatSeen | undefined {
    return this.seen.get(nodeName);
  }

  /** nodeName -> last heartbeat ms, as the node lifecycle reconcile takes it. */
  lastSeen(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    for (const [name, s] of this.seen) out.set(name, s.lastSeenMs);
    return out;
  }

  forget(nodeName: string): void {
    this.seen.delete(nodeName);
  }
}

/** Records every heartbeat in `table` at this master's clock. */
export function heartbeatReceiver(table: HeartbeatTable) {
  return (ctx: ActorContext<NodeHeartbeat>) => (m: NodeHeartbeat) => {
    if (m.type !== 'node-heartbeat' || typeof m.nodeName !== 'string' || typeof m.bootId !== 'string') {
      ctx.log.warn({ message: m }, 'not a node heartbeat; dropped');
      return;
    }
    table.record(m.nodeName, m.bootId, ctx.clock.now());
  };
}
