import type { KeySelector, KeyValue, RangeOptions, RangeResult } from './types.js';

/**
 * The store's commands (what goes into raft entries) and their results (what
 * apply hands back to the proposer). Unions discriminated on `type`; plain
 * data. A command is decided completely before it is proposed: anything like
 * a timestamp or a UID is inside a value, never chosen while applying.
 */

/** Writes `value` at `key`: creates it (version 1) or replaces it (version + 1). */
export interface PutCommand {
  readonly type: 'put';
  /** Non-empty. */
  readonly key: string;
  readonly value: Uint8Array;
  /** Return the version this put replaced. */
  readonly prevKv?: boolean;
}

/** Removes `key` if it exists; a delete that finds nothing writes nothing. */
export interface DeleteCommand {
  readonly type: 'delete';
  /** Non-empty. */
  readonly key: string;
  /** Return the version removed. */
  readonly prevKv?: boolean;
}

/** Removes every key that starts with `prefix` ('' removes every key). */
export interface DeleteRangeCommand {
  readonly type: 'deleteRange';
  readonly prefix: string;
  /** Return the versions removed, in key order. */
  readonly prevKv?: boolean;
}

/** A read inside a transaction: sees the transaction's earlier writes. */
export type RangeOp = { readonly type: 'range' } & KeySelector & Omit<RangeOptions, 'revision'>;

export type CompareTarget = 'modRevision' | 'createRevision' | 'version' | 'value';
export type CompareOp = '=' | '!=' | '<' | '>';

/**
 * A transaction's guard on one key. A missing key has modRevision,
 * createRevision and version 0, and fails every comparison of its value (as
 * in etcd). Values compare as unsigned bytes.
 */
export type Compare =
  | {
      readonly key: string;
      readonly target: 'modRevision' | 'createRevision' | 'version';
      readonly op: CompareOp;
      readonly value: number;
    }
  | { readonly key: string; readonly target: 'value'; readonly op: CompareOp; readonly value: Uint8Array };

export type TxnOp = PutCommand | DeleteCommand | DeleteRangeCommand | RangeOp;

/**
 * If every compare holds, the success ops run, else the failure ops; in order,
 * each seeing the ones before. All writes share ONE new revision; a branch
 * that changes nothing leaves the revision as it was.
 */
export interface TxnCommand {
  readonly type: 'txn';
  /** At most TXN_COMPARES_MAX. Absent or empty: the success branch runs. */
  readonly compare?: readonly Compare[];
  /** At most TXN_OPS_MAX each. */
  readonly success?: readonly TxnOp[];
  readonly failure?: readonly TxnOp[];
}

/**
 * Drops history below `revision`: reads and watches from then on may start at
 * `revision` or later. The latest version of each live key is kept. A
 * compaction is not a write: the revision does not change. It is a command
 * of its own, not a transaction op (as in etcd), so a transaction's reads
 * never race a compaction inside it.
 */
export interface CompactCommand {
  readonly type: 'compact';
  readonly revision: number;
}

export type Command = PutCommand | DeleteCommand | DeleteRangeCommand | TxnCommand | CompactCommand;

/** Limits on one transaction (explicit, so a runaway proposer is a clear rejection). */
export const TXN_COMPARES_MAX = 1_000;
export const TXN_OPS_MAX = 10_000;

// ---- Results ----

export interface PutOpResult {
  readonly type: 'put';
  readonly prevKv?: KeyValue;
}

export interface DeleteOpResult {
  readonly type: 'delete';
  /** 0 or 1. */
  readonly deleted: number;
  readonly prevKv?: KeyValue;
}

export interface DeleteRangeOpResult {
  readonly type: 'deleteRange';
  readonly deleted: number;
  /** When asked for: the versions removed, in key order. */
  readonly prevKvs?: readonly KeyValue[];
}

/** A read inside a transaction: as a RangeResult, without its own revision (the transaction's applies). */
export type RangeOpResult = Omit<RangeResult, 'revision'>;

export type TxnOpResult = PutOpResult | DeleteOpResult | DeleteRangeOpResult | RangeOpResult;

/** `revision` is the store's revision after the command: the new one if it wrote, else the unchanged one. */
export type PutResult = PutOpResult & { readonly revision: number };
export type DeleteResult = DeleteOpResult & { readonly revision: number };
export type DeleteRangeResult = DeleteRangeOpResult & { readonly revision: number };

export interface TxnResult {
  readonly type: 'txn';
  readonly revision: number;
  /** Whether every compare held (so the success branch ran). */
  readonly succeeded: boolean;
  /** One per op of the branch that ran, in order. */
  readonly results: readonly TxnOpResult[];
}

export interface CompactResult {
  readonly type: 'compact';
  readonly revision: number;
  readonly compactRevision: number;
}

/**
 * A command that changed nothing because it could not apply. Every replica
 * rejects the same command the same way; `rejectionError()` makes an error of it.
 */
export type RejectedResult =
  | {
      readonly type: 'rejected';
      readonly code: 'MALFORMED_COMMAND';
      readonly revision: number;
      readonly message: string;
      readonly path: string;
      readonly reason: string;
    }
  | {
      readonly type: 'rejected';
      readonly code: 'COMPACTED';
      readonly revision: number;
      readonly message: string;
      readonly requestedRevision: number;
      readonly compactRevision: number;
    }
  | {
      readonly type: 'rejected';
      readonly code: 'FUTURE_REVISION';
      readonly revision: number;
      readonly message: string;
      readonly requestedRevision: number;
    };

export type CommandResult = PutResult | DeleteResult | DeleteRangeResult | TxnResult | CompactResult | RejectedResult;

/** The result a command of type C gets when it applies. */
export type ResultOf<C extends Command> = C extends PutCommand
  ? PutResult
  : C extends DeleteCommand
    ? DeleteResult
    : C extends DeleteRangeCommand
      ? DeleteRangeResult
      : C extends TxnCommand
        ? TxnResult
        : C extends CompactCommand
          ? CompactResult
          : never;
