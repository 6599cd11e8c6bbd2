import type { ServiceSpec } from '../grpc/index.js';

/**
 * The masters' gRPC service. Each method carries the ApiRequest of the same
 * name (msgpack), minus `type`: `Create` takes `{ object }`, `Get` takes
 * `{ kind, namespace?, name, stale? }`, `Apply` takes `{ object }` and answers
 * an ApplyResult, and so on (see api-protocol.ts).
 * A unary method answers the reply's value, or fails with the ApiError code
 * and details. `Watch` streams WatchMessages (watch-event / watch-error).
 * `Logs` takes a LogsRequest and streams a container's lines as LogsMessages
 * (log-line..., then log-end or log-error; see logs-protocol.ts).
 * `ClusterStatus` answers the masters' raft status.
 */
export const API_SERVICE_NAME = 'drover.v1.Api';

export const API_SERVICE_SPEC = {
  Create: 'unary',
  Get: 'unary',
  List: 'unary',
  Update: 'unary',
  Delete: 'unary',
  Apply: 'unary',
  UpdateStatus: 'unary',
  Bind: 'unary',
  Watch: 'server-stream',
  Logs: 'server-stream',
  ClusterStatus: 'unary',
} as const satisfies ServiceSpec;

export type ApiMethod = keyof typeof API_SERVICE_SPEC;
