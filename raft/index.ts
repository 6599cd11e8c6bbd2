// Raft: the pure core, durable storage, and the replica actor that drives them.

export { replica } from './replica.js';
export type { ReplicaOptions, ReplicaProbe } from './replica.js';
export type { BatchEntryOutcome, Leadership, ProposeBatchReply, ReplicaMsg, ReplicaReply } from './protocol.js';
export type { StateMachine } from './state-machine.js';
export { ReplicaClient } from './client.js';
export type { RefResolver, ReplicaClientOptions } from './client.js';
export { NotLeaderError, ProposalDroppedError, StorageFailedError } from './errors.js';
export * from './core/index.js';
export type { DurableLog, RecoveredState } from './storage/durable-log.js';
