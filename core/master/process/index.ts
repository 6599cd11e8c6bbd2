// The master process: `drover master` composes the replica, the store, the
// API actor and the gRPC and HTTP edges.

export { startMaster } from './master.js';
export type { Master } from './master.js';
export { runMaster } from './run.js';
export { DEFAULT_MASTER_CONFIG, apiPathOf, checkMasterConfig, parsePeers, raftPathOf } from './config.js';
export type { MasterConfig } from './config.js';
export { mergeMasterConfig, parseMasterConfigFile } from './config-file.js';
export type { MasterConfigFile } from './config-file.js';
export { apiHandlers, clusterStatus } from './grpc-handlers.js';
export type { ClusterStatus, HandlerDeps, MasterStatus } from './grpc-handlers.js';
export { watchStream } from './watch-stream.js';
export type { WatchRequest } from './watch-stream.js';
