// The typed client of the masters' API: leader following, safe retries, and
// watches that resume across masters with no gap and no duplicate.

export { DroverClient } from './client.js';
export { ApiLink } from './api-link.js';
export { apiPathOf } from '../master/index.js';
export type { ApiLinkOptions } from './api-link.js';
export { heartbeatPathOf } from '../master/index.js';
export type { ApiReply, ApiRequest, NodeHeartbeat, WatchMessage } from '../master/index.js';
export { agentActorName, agentPathOf } from '../master/index.js';
export type { AgentLogsMessage, AgentLogsRequest, LogsFailure, LogsMessage, LogsRequest } from '../master/index.js';
export type { LogStream } from './logs.js';
export type { DroverClientOptions } from './client.js';
export { classifyFailure, DEFAULT_RETRY } from './masters.js';
export type { FailureClass, MasterConnection, RetryPolicy } from './masters.js';
export { isUnchanged } from '../api/index.js';
export type {
  ApplyAction,
  ApplyResult,
  ClusterStatus,
  DeleteOptions,
  GetOptions,
  ListOptions,
  MasterStatus,
  WatchEvent,
  WatchHandle,
  WatchOptions,
} from './types.js';
export type { BindResult, ListResult, PodBinding } from '../master/index.js';
export { ApiError } from '../grpc/index.js';
export type { ApiErrorCode, ApiErrorDetails } from '../grpc/index.js';
