import type { ActorRef, ActorSystem, Simulation } from '../../../actors/index.js';
import { controlPlane, type ControllerSettings } from '../../../core/control-plane/index.js';
import { HeartbeatTable, apiServer, compactor, heartbeatReceiver, leaderWork, type ApiReply, type ApiRequest } from '../../../core/master/index.js';
import { createKvStore, type KvStore } from '../../../core/store/index.js';
import { replica } from '../../../raft/index.js';
import { FileWal, SimDisk } from '../../../raft/storage/index.js';

export const IDS = ['m1', 'm2', 'm3'];
export const raftPaths = Object.fromEntries(IDS.map((id) => [id, `drover://${id}/user/raft`]));
export const apiPaths = Object.fromEntries(IDS.map((id) => [id, `drover://${id}/user/api`]));

export interface SimMasters {
  readonly client: ActorSystem;
  /** Starts (or restarts, after a crash) a master on its own disk. */
  start(id: string): Promise<void>;
  crash(id: string): void;
  /** Each master's store, as its current incarnation holds it. */
  readonly stores: Map<string, KvStore>;
  /** A function that asks one master's API actor. */
  api(id: string): <T>(req: ApiRequest, timeoutMs?: number) => Promise<ApiReply<T>>;
}

export interface SimMastersOptions {
  /** Raft snapshots of the store this often (the replica's default otherwise). */
  readonly snapshotEveryEntries: number;
  readonly keepEntriesAfterSnapshot: number;
  /** Runs the compactor as leader-only work, as the master process does. */
  readonly compactionIntervalMs: number;
  /** Runs the scheduler and controllers as leader-only work, and the heartbeat receivers, as the master process does. */
  readonly controlPlane: boolean | Partial<ControllerSettings>;
}

/** Three masters (replica on a file WAL over a simulated disk, store, API actor) and a client system. */
export async function simMasters(sim: Simulation, opts: Partial<SimMastersOptions> = {}): Promise<SimMasters> {
  const disks = new Map(IDS.map((id) => [id, new SimDisk()]));
  const stores = new Map<string, KvStore>();
  const start = async (id: string) => {
    const sys = await sim.system(id);
    const store = createKvStore();
    stores.set(id, store);
    const disk = disks.get(id)!;
    const snapshots = {
      ...(opts.snapshotEveryEntries === undefined ? {} : { snapshotEveryEntries: opts.snapshotEveryEntries }),
      ...(opts.keepEntriesAfterSnapshot === undefined ? {} : { keepEntriesAfterSnapshot: opts.keepEntriesAfterSnapshot }),
    };
    sys.spawn(replica({ id, peers: raftPaths, voters: IDS, openLog: () => FileWal.open(disk), stateMachine: store, ...snapshots }), 'raft');
    sys.spawn(apiServer({ id, store, raftPath: raftPaths[id]!, apiPaths }), 'api');
    const heartbeats = new HeartbeatTable();
    if (opts.controlPlane) sys.spawn(heartbeatReceiver(heartbeats), 'node-heartbeats');
    const workers = {
      ...(opts.compactionIntervalMs !== undefined ? { compactor: compactor({ store, raftPath: raftPaths[id]!, intervalMs: opts.compactionIntervalMs }) } : {}),
      ...(opts.controlPlane
        ? { 'control-plane': controlPlane({ store, apiPath: apiPaths[id]!, raftPath: raftPaths[id]!, heartbeats, controllers: opts.controlPlane === true ? {} : opts.controlPlane }) }
        : {}),
    };
    if (Object.keys(workers).length > 0) sys.spawn(leaderWork({ raftPath: raftPaths[id]!, workers: workers as never }), 'leader-work');
  };
  for (const id of IDS) await start(id);
  const client = await sim.system('client');
  await sim.runFor(3_000); // an election
  return {
    client,
    start,
    stores,
    crash: (id) => {
      sim.crash(id);
      disks.set(id, disks.get(id)!.crash(sim.random.fork(`disk:${id}:${sim.events}`)));
    },
    api: (id) => {
      const ref = client.resolve<ApiRequest>(apiPaths[id]!) as ActorRef<ApiRequest>;
      return <T>(req: ApiRequest, timeoutMs = 5_000) => ref.ask<ApiReply<T>>(req, { timeoutMs });
    },
  };
}
