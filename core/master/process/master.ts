import { mkdir } from 'node:fs/promises';
import { ActorSystem, NatsTransport, WallClock, createLogger, realWorld, type ActorContext, type ActorRef, type Behavior, type Terminated } from '../../../actors/index.js';
import { replica, type Leadership, type RaftStatus, type ReplicaMsg } from '../../../raft/index.js';
import { FileWal, NodeDisk } from '../../../raft/storage/index.js';
import { GrpcGateway } from '../../grpc/index.js';
import { createKvStore } from '../../store/index.js';
import type { ApiRequest } from '../api-protocol.js';
import { apiServer } from '../api-server.js';
import { compactor } from '../compactor.js';
import { leaderWork } from '../leader-work.js';
import { HeartbeatTable, heartbeatReceiver } from '../node-heartbeats.js';
import { controlPlane } from '../../control-plane/index.js';
import { API_SERVICE_NAME, API_SERVICE_SPEC } from '../api-service.js';
import { HealthServer, MasterMetrics } from '../http/index.js';
import { apiPathOf, checkMasterConfig, raftPathOf, type MasterConfig } from './config.js';
import { apiHandlers } from './grpc-handlers.js';

/** A running master: its addresses, and how to stop it. */
export interface Master {
  readonly id: string;
  /** host:port of the gRPC API. */
  readonly grpcAddress: string;
  /** host:port of /healthz, /readyz and /metrics. */
  readonly httpAddress: string;
  /** Stops gRPC, HTTP, the actor system and the NATS connection, in that order. */
  stop(): Promise<void>;
}

const STATUS_TIMEOUT_MS = 1_000;

interface Readiness {
  leadership: Leadership | null;
  apiAlive: boolean;
}

/** An actor that keeps what readiness needs (the replica's latest Leadership, whether the API actor lives) where the HTTP edge reads it. */
function readinessObserver(raft: ActorRef<ReplicaMsg>, api: ActorRef<never>, seen: Readiness) {
  return (ctx: ActorContext<Leadership | Terminated>) => {
    raft.tell({ type: 'subscribe-leadership' }, ctx.self as ActorRef<never>);
    ctx.watch(api);
    return (m: Leadership | Terminated) => {
      if (m.type === 'leadership') seen.leadership = m;
      else seen.apiAlive = false;
    };
  };
}

/**
 * Starts one master: an actor system named by its id over NATS, the MVCC
 * store, the raft replica on a file WAL (fsync on) at `/user/raft`, the API
 * actor at `/user/api`, the gRPC gateway in front of it, and the HTTP
 * endpoints. The composition of the pieces only; each holds its own logic.
 */
export async function startMaster(input: MasterConfig): Promise<Master> {
  const config = checkMasterConfig(input);
  const { id } = config;
  const logger = createLogger({ base: { master: id } });
  const clock = new WallClock();

  await mkdir(config.dataDir, { recursive: true });
  const disk = new NodeDisk(config.dataDir);
  // Open the WAL once up front: a WAL that cannot be read stops the process
  // with its error instead of a supervisor retrying it.
  let firstWal: FileWal | null = await FileWal.open(disk);
  const openLog = async (): Promise<FileWal> => {
    const wal = firstWal ?? (await FileWal.open(disk));
    firstWal = null;
    return wal;
  };

  const transport = await NatsTransport.connect({ servers: config.natsUrl.split(','), connectionName: `master-${id}` });
  let system: ActorSystem;
  try {
    system = await ActorSystem.start({ name: id, world: realWorld({ transport, logger }) });
  } catch (e) {
    await transport.close();
    throw e;
  }

  const store = createKvStore();
  const raftPaths = Object.fromEntries(config.peers.map((p) => [p, raftPathOf(p)]));
  const apiPaths = Object.fromEntries(config.peers.map((p) => [p, apiPathOf(p)]));
  const raft = system.spawn(
    replica({ id, peers: raftPaths, voters: config.peers, openLog, stateMachine: store, tickMs: config.tickMs, electionTicks: config.electionTicks }),
    'raft',
  );
  const api = system.spawn(apiServer({ id, store, raftPath: raftPathOf(id), apiPaths, proposeTimeoutMs: Math.max(1_000, config.requestTimeoutMs - 1_000) }), 'api');
  // Every master hears the nodes' heartbeats; only the leader's controllers act on them.
  const heartbeats = new HeartbeatTable();
  system.spawn(heartbeatReceiver(heartbeats), 'node-heartbeats');
  // Leader-only work (the compactor, the scheduler and the controllers) runs
  // under this actor while, and only while, this master leads.
  const workers = {
    ...(config.compactionIntervalMs > 0 ? { compactor: compactor({ store, raftPath: raftPathOf(id), intervalMs: config.compactionIntervalMs }) } : {}),
    ...(config.controlPlane === false ? {} : { 'control-plane': controlPlane({ store, apiPath: apiPathOf(id), raftPath: raftPathOf(id), heartbeats, ...(config.nodeLifecycle ? { controllers: { nodeLifecycle: config.nodeLifecycle } } : {}) }) }),
    ...config.leaderWorkers,
  };
  system.spawn(leaderWork({ raftPath: raftPathOf(id), workers: workers as Readonly<Record<string, Behavior<never>>> }), 'leader-work');
  const readiness: Readiness = { leadership: null, apiAlive: true };
  system.spawn(readinessObserver(raft, api as ActorRef<never>, readiness), 'readiness');

  const metrics = new MasterMetrics(id, async () => {
    try {
      const s = await system.ask<RaftStatus>(raft as ActorRef<never>, { type: 'status' } satisfies ReplicaMsg, { timeoutMs: STATUS_TIMEOUT_MS });
      return { term: s.term, commit: s.commit, applied: s.applied };
    } catch {
      return null;
    }
  });

  const stoppers: (() => Promise<void>)[] = [
    async () => {
      await system.terminate();
    },
    () => transport.close(),
  ];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.splice(0)) {
      try {
        await stop();
      } catch (e) {
        logger.warn({ err: e }, 'a step of the shutdown failed');
      }
    }
  };

  try {
    const grpc = await GrpcGateway.start({
      serviceName: API_SERVICE_NAME,
      spec: API_SERVICE_SPEC,
      host: config.host,
      port: config.grpcPort,
      clock,
      handlers: apiHandlers({
        system,
        api: api as ActorRef<ApiRequest>,
        peers: config.peers,
        requestTimeoutMs: config.requestTimeoutMs,
        statusTimeoutMs: STATUS_TIMEOUT_MS,
        clock,
        metrics,
      }),
    });
    stoppers.unshift(() => grpc.stop(1_000));
    // The API server hands this address to clients as the leader hint.
    (api as ActorRef<{ type: 'serving'; grpcAddress: string }>).tell({ type: 'serving', grpcAddress: grpc.address });
    const http = await HealthServer.start(
      {
        readiness: () => {
          if (!readiness.apiAlive) return 'the API server has stopped';
          const l = readiness.leadership;
          if (l === null || l.leader === '') return 'no raft leader known yet';
          return null;
        },
        metrics: () => metrics.text(),
      },
      config.host,
      config.httpPort,
    );
    stoppers.splice(1, 0, () => http.stop());
    logger.info({ grpc: grpc.address, http: http.address, peers: config.peers }, 'master started');
    return { id, grpcAddress: grpc.address, httpAddress: http.address, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
