import type {
  Command,
  CommandResult,
  DeleteOpResult,
  DeleteRangeOpResult,
  PutOpResult,
  TxnCommand,
  TxnOp,
  TxnOpResult,
} from './commands.js';
import { rangeCurrent } from './range.js';
import { compactedRejection, futureRejection } from './rejections.js';
import type { StoreState, WriteBatch } from './store-state.js';
import { compareHolds } from './txn.js';
import type { KeyValue, WatchEvent } from './types.js';

/** What applying one command did. */
export interface Applied {
  readonly result: CommandResult;
  /** The events of the revision it made, in order; empty if it wrote nothing. */
  readonly events: readonly WatchEvent[];
  /** Whether it compacted the store. */
  readonly compacted: boolean;
}

const NO_EVENTS: readonly WatchEvent[] = [];

/**
 * Applies one well-formed command (see validateCommand) to the state. Pure
 * and deterministic: the result depends only on the state and the command.
 * Never fails half-way: every check that can reject a command comes before
 * its first write, so a command changes all it should or nothing.
 */
export function applyCommand(state: StoreState, cmd: Command): Applied {
  switch (cmd.type) {
    case 'put':
    case 'delete':
    case 'deleteRange': {
      const batch = state.beginWrite();
      const r = runOp(state, batch, cmd);
      state.commit(batch);
      return { result: { ...r, revision: state.revision } as CommandResult, events: batch.events, compacted: false };
    }
    case 'txn':
      return applyTxn(state, cmd);
    case 'compact': {
      if (cmd.revision > state.revision) {
        return { result: futureRejection(cmd.revision, state.revision), events: NO_EVENTS, compacted: false };
      }
      if (cmd.revision <= state.compactRevision) {
        return { result: compactedRejection(cmd.revision, state.compactRevision, state.revision), events: NO_EVENTS, compacted: false };
      }
      state.compact(cmd.revision);
      return {
        result: { type: 'compact', revision: state.revision, compactRevision: state.compactRevision },
        events: NO_EVENTS,
        compacted: true,
      };
    }
  }
}

function applyTxn(state: StoreState, cmd: TxnCommand): Applied {
  let succeeded = true;
  for (const c of cmd.compare ?? []) {
    if (!compareHolds(c, state.index.head(c.key))) {
      succeeded = false;
      break;
    }
  }
  const ops = (succeeded ? cmd.success : cmd.failure) ?? [];
  const batch = state.beginWrite();
  const results = ops.map((op) => runOp(state, batch, op));
  state.commit(batch);
  return { result: { type: 'txn', revision: state.revision, succeeded, results }, events: batch.events, compacted: false };
}

function runOp(state: StoreState, batch: WriteBatch, op: TxnOp): TxnOpResult {
  switch (op.type) {
    case 'put': {
      const { prev } = state.put(batch, op.key, op.value);
      const r: PutOpResult = op.prevKv === true && prev !== undefined ? { type: 'put', prevKv: prev } : { type: 'put' };
      return r;
    }
    case 'delete': {
      const prev = state.delete(batch, op.key);
      const r: DeleteOpResult =
        prev === undefined
          ? { type: 'delete', deleted: 0 }
          : op.prevKv === true
            ? { type: 'delete', deleted: 1, prevKv: prev }
            : { type: 'delete', deleted: 1 };
      return r;
    }
    case 'deleteRange': {
      // Gather first: the key set must not change under a scan.
      const doomed: string[] = [];
      const prefix = op.prefix;
      state.index.scanLive(
        (k) => k < prefix,
        (kv) => kv.key.startsWith(prefix) && doomed.push(kv.key) > 0,
      );
      const prevKvs: KeyValue[] = [];
      for (const key of doomed) prevKvs.push(state.delete(batch, key)!);
      const r: DeleteRangeOpResult = op.prevKv === true ? { type: 'deleteRange', deleted: prevKvs.length, prevKvs } : { type: 'deleteRange', deleted: prevKvs.length };
      return r;
    }
    case 'range': {
      const { kvs, count, more } = rangeCurrent(state.index, op, op);
      return { type: 'range', kvs, count, more };
    }
  }
}
