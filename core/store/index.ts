// The replicated MVCC key-value store: raft's state machine for the masters.
// See README.md in this folder for the design, the costs and the formats.

export { createKvStore } from './kv-store.js';
export type { KvStore, KvStoreOptions } from './kv-store.js';
export { encodeCommand, decodeCommand, COMMAND_FORMAT } from './command-codec.js';
export { SNAPSHOT_FORMAT } from './snapshot.js';
export { rejectionError } from './rejections.js';
export { TXN_COMPARES_MAX, TXN_OPS_MAX } from './commands.js';
export type {
  Command,
  PutCommand,
  DeleteCommand,
  DeleteRangeCommand,
  TxnCommand,
  CompactCommand,
  TxnOp,
  RangeOp,
  Compare,
  CompareOp,
  CompareTarget,
  CommandResult,
  ResultOf,
  PutResult,
  DeleteResult,
  DeleteRangeResult,
  TxnResult,
  CompactResult,
  RejectedResult,
  TxnOpResult,
  PutOpResult,
  DeleteOpResult,
  DeleteRangeOpResult,
  RangeOpResult,
} from './commands.js';
export type {
  KeyValue,
  WatchEvent,
  WatchFilter,
  KeySelector,
  RangeQuery,
  RangeOptions,
  RangeResult,
  EventsPage,
  StoreNotification,
  StoreListener,
  StoreStats,
} from './types.js';
export {
  MalformedCommandError,
  CompactedRevisionError,
  FutureRevisionError,
  InvalidRequestError,
  SnapshotFormatError,
  StoreInvariantError,
} from './errors.js';
export type { StoreError } from './errors.js';
