import { AskTimeoutError, type ActorRef, type ActorSystem, type Clock } from '../../../actors/index.js';
import type { NodeId, RaftStatus, ReplicaMsg } from '../../../raft/index.js';
import { ApiError, type Handlers, type StreamSink, type UnaryHandler } from '../../grpc/index.js';
import type { MasterMetrics } from '../http/index.js';
import type { ApiReply, ApiRequest } from '../api-protocol.js';
import type { API_SERVICE_SPEC } from '../api-service.js';
import { raftPathOf } from './config.js';
import { logsStream } from './logs-stream.js';
import { parseLogsRequest } from './logs-target.js';
import { watchStream, type WatchRequest } from './watch-stream.js';

/** One master as ClusterStatus reports it. */
export interface MasterStatus {
  readonly id: NodeId;
  readonly reachable: boolean;
  readonly role?: string;
  readonly term?: number;
  readonly commit?: number;
  readonly applied?: number;
  /** The leader's commit index minus this master's applied index. */
  readonly lag?: number;
}

export interface ClusterStatus {
  readonly masters: readonly MasterStatus[];
  /** '' when no reachable master knows a leader. */
  readonly leader: NodeId;
  readonly term: number;
  readonly commit: number;
  readonly applied: number;
  readonly lag: number;
}

export interface HandlerDeps {
  readonly system: ActorSystem;
  readonly api: ActorRef<ApiRequest>;
  readonly peers: readonly NodeId[];
  readonly requestTimeoutMs: number;
  /** How long ClusterStatus waits for each master's replica. */
  readonly statusTimeoutMs: number;
  readonly clock: Clock;
  readonly metrics: MasterMetrics | null;
}

const REQUEST_TYPES = { Create: 'create', Get: 'get', List: 'list', Update: 'update', Delete: 'delete', Apply: 'apply', UpdateStatus: 'update-status', Bind: 'bind' } as const;

function asRecord(request: unknown, method: string): Record<string, unknown> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new ApiError('INVALID_ARGUMENT', `${method}: the request must be a map`);
  }
  return request as Record<string, unknown>;
}

/** Asks every master's replica for its status; a master that does not answer in time is unreachable. */
export async function clusterStatus(system: ActorSystem, peers: readonly NodeId[], timeoutMs: number): Promise<ClusterStatus> {
  const statuses = await Promise.all(
    peers.map((id) =>
      system
        .ask<RaftStatus>(system.resolve<ReplicaMsg>(raftPathOf(id)) as ActorRef<never>, { type: 'status' } satisfies ReplicaMsg, { timeoutMs })
        .then((s) => ({ id, s }), () => ({ id, s: null })),
    ),
  );
  const reachable = statuses.filter((x): x is { id: NodeId; s: RaftStatus } => x.s !== null);
  const leaderStatus = reachable.find((x) => x.s.role === 'leader')?.s;
  const newest = [...reachable].sort((a, b) => b.s.term - a.s.term)[0]?.s;
  const leader = leaderStatus?.id ?? newest?.lead ?? '';
  const commit = leaderStatus?.commit ?? Math.max(0, ...reachable.map((x) => x.s.commit));
  const masters: MasterStatus[] = statuses.map(({ id, s }) =>
    s === null ? { id, reachable: false } : { id, reachable: true, role: s.role, term: s.term, commit: s.commit, applied: s.applied, lag: Math.max(0, commit - s.applied) },
  );
  const applied = leaderStatus?.applied ?? 0;
  return { masters, leader, term: newest?.term ?? 0, commit, applied, lag: Math.max(0, ...masters.map((m) => m.lag ?? 0)) };
}

/** The gRPC handlers of one master: each RPC is an ask of the local API actor. */
export function apiHandlers(deps: HandlerDeps): Handlers<typeof API_SERVICE_SPEC> {
  let watches = 0;
  let logCalls = 0;

  const timed =
    (method: string, fn: UnaryHandler): UnaryHandler =>
    async (request, call) => {
      const started = deps.clock.now();
      let code = 'OK';
      try {
        return await fn(request, call);
      } catch (e) {
        code = e instanceof ApiError ? e.code : 'INTERNAL';
        throw e;
      } finally {
        deps.metrics?.observeRequest(method, code, deps.clock.now() - started);
      }
    };

  const unary = (method: keyof typeof REQUEST_TYPES): UnaryHandler =>
    timed(method, async (request) => {
      const req = { ...asRecord(request, method), type: REQUEST_TYPES[method] } as ApiRequest;
      let reply: ApiReply;
      try {
        reply = await deps.system.ask<ApiReply>(deps.api as ActorRef<never>, req, { timeoutMs: deps.requestTimeoutMs });
      } catch (e) {
        if (e instanceof AskTimeoutError) {
          // A write may or may not have happened: say so, rather than UNAVAILABLE.
          throw new ApiError('DEADLINE_EXCEEDED', `${method}: no answer from the API server within ${deps.requestTimeoutMs} ms`, {}, { cause: e });
        }
        throw e;
      }
      if (reply.ok) return reply.value;
      throw new ApiError(reply.error.code, reply.error.message, reply.error.details);
    });

  return {
    Create: unary('Create'),
    Get: unary('Get'),
    List: unary('List'),
    Update: unary('Update'),
    Delete: unary('Delete'),
    Apply: unary('Apply'),
    UpdateStatus: unary('UpdateStatus'),
    Bind: unary('Bind'),
    Watch: (request: unknown, sink: StreamSink) => {
      const r = asRecord(request, 'Watch');
      const { type: _t, watchId: _w, ...rest } = r;
      const watchId = `grpc-${deps.system.name}-${++watches}`;
      deps.system.spawn(watchStream(deps.api, watchId, rest as unknown as WatchRequest, sink), `watch-${watches}`);
    },
    Logs: (request: unknown, sink: StreamSink) => {
      // A malformed request fails the call (INVALID_ARGUMENT); everything after is told as log-error.
      const parsed = parseLogsRequest(asRecord(request, 'Logs'));
      const n = ++logCalls;
      const requestId = `grpc-${deps.system.name}-logs-${n}`;
      deps.system.spawn(logsStream({ api: deps.api, requestId, request: parsed, sink, requestTimeoutMs: deps.requestTimeoutMs }), `logs-${n}`);
    },
    ClusterStatus: timed('ClusterStatus', () => clusterStatus(deps.system, deps.peers, deps.statusTimeoutMs)),
  };
}
