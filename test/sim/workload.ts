import {
  Supervision,
  type ActorContext,
  type ActorRef,
  type ActorSystem,
  type Simulation,
} from '../../actors/index.js';

/** Messages of the at-least-once register workload. */
export type ServerMsg = { type: 'add'; id: string } | { type: 'dump' };
export type ClientMsg = { type: 'go' } | { type: 'next' };

export interface ServerState {
  readonly ids: Set<string>;
  duplicates: number;
}

/** A server that records each id once and acknowledges every copy. */
export function server(state: ServerState) {
  return (ctx: ActorContext<ServerMsg>) => (m: ServerMsg) => {
    if (m.type === 'add') {
      if (state.ids.has(m.id)) state.duplicates++;
      else state.ids.add(m.id);
      ctx.reply({ type: 'ack', id: m.id });
    } else ctx.reply([...state.ids]);
  };
}

export interface ClientState {
  acked: string[];
  done: boolean;
  timeouts: number;
}

/**
 * A client that adds `count` ids to a remote server one at a time, asking
 * again after a timeout until it gets the ack: at-least-once delivery over a
 * lossy network, built from ask and timers only.
 */
export function client(name: string, target: ActorRef<ServerMsg>, count: number, state: ClientState) {
  return (ctx: ActorContext<ClientMsg>) => {
    let next = 0;
    return async (m: ClientMsg) => {
      if (next >= count) {
        state.done = true;
        return;
      }
      const id = `${name}-${next}`;
      try {
        const ack = await ctx.ask<{ type: 'ack'; id: string }>(target, { type: 'add', id }, { timeoutMs: 50 + ctx.random.int(100) });
        if (ack.id !== id) throw new Error(`ack for ${ack.id} answered ${id}`);
        state.acked.push(id);
        next++;
      } catch (e) {
        if ((e as { code?: string }).code !== 'ASK_TIMEOUT') throw e;
        state.timeouts++;
      }
      void m;
      ctx.self.tell({ type: 'next' });
    };
  };
}

export interface Cluster {
  readonly systems: ActorSystem[];
  readonly servers: ServerState[];
  readonly clients: ClientState[];
}

/**
 * Three systems; each hosts a server and a client that writes to the next
 * system's server, so every link carries traffic both ways.
 */
export async function startCluster(sim: Simulation, idsPerClient: number): Promise<Cluster> {
  const names = ['a', 'b', 'c'];
  const systems = await Promise.all(
    names.map((n) => sim.system(n, { guardianStrategy: Supervision.oneForOne({ maxRestarts: 1_000 }), remoting: { heartbeatIntervalMs: 100, unreachableAfterMs: 600 } })),
  );
  const servers = names.map(() => ({ ids: new Set<string>(), duplicates: 0 }));
  systems.forEach((s, i) => s.spawn(server(servers[i]!), 'server'));
  const clients = names.map(() => ({ acked: [] as string[], done: false, timeouts: 0 }));
  systems.forEach((s, i) => {
    const target = s.resolve<ServerMsg>(`drover://${names[(i + 1) % 3]}/user/server`);
    s.spawn(client(names[i]!, target, idsPerClient, clients[i]!), 'client').tell({ type: 'go' });
  });
  return { systems, servers, clients };
}
