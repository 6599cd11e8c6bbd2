// The master: the API server actor and how objects map onto the store.

export { apiServer } from './api-server.js';
export type { ApiServerOptions } from './api-server.js';
export { apiPathOf } from './api-protocol.js';
export type { ApiFailure, ApiReply, ApiRequest, ApplyAction, ApplyResult, BindResult, ListResult, PodBinding } from './api-protocol.js';
export { APPLY_ATTEMPTS_MAX, applyObject } from './apply.js';
export type { ApplyOps } from './apply.js';
export { API_SERVICE_NAME, API_SERVICE_SPEC } from './api-service.js';
export type { ApiMethod } from './api-service.js';
export { compactor } from './compactor.js';
export type { CompactorOptions } from './compactor.js';
export { leaderWork } from './leader-work.js';
export type { LeaderWorkOptions } from './leader-work.js';
export { WatchHub } from './watch-hub.js';
export type { WatchMessage } from './watch-hub.js';
export { createTxn, decodeNotified, decodeObject, deleteTxn, encodeObject, updateTxn } from './registry.js';
export { HeartbeatTable, heartbeatPathOf, heartbeatReceiver } from './node-heartbeats.js';
export type { HeartbeatSeen, NodeHeartbeat } from './node-heartbeats.js';
export { boundPod, DEFAULT_TERMINATION_GRACE_SECONDS, gracefulDeletion } from './pod-writes.js';
export { agentActorName, agentPathOf } from './logs-protocol.js';
export type { AgentLogsMessage, AgentLogsRequest, LogsFailure, LogsMessage, LogsRequest } from './logs-protocol.js';
