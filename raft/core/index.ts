// The pure raft core: no I/O, no clock. Drive it through RawNode.

export { RawNode } from './raw-node.js';
export type { Ready, RaftStatus } from './raw-node.js';
export { Raft } from './raft.js';
export type { ProposeResult, ReadIndexResult, Role, SoftState } from './raft.js';
export type { RaftConfig } from './config.js';
export { MemoryStorage, entrySize } from './storage.js';
export type { Storage } from './storage.js';
export type * from './messages.js';
export type * from './types.js';
export { EMPTY_HARD_STATE, EMPTY_SNAPSHOT_META } from './types.js';
export { decodeConfChange, encodeConfChange } from './confchange.js';
export { CompactedError, RaftInvariantError } from './errors.js';
