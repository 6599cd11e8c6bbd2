import {
  CompactedRevisionError,
  FutureRevisionError,
  type Command,
  type CommandResult,
  type Compare,
  type KeySelector,
  type KeyValue,
  type RangeOptions,
  type TxnOp,
  type TxnOpResult,
  type WatchEvent,
} from '../../../../core/store/index.js';

/**
 * A reference MVCC store written for obviousness, not speed: a full copy of
 * the keyspace at every revision, and every event in one list. The property
 * tests hold the real store to it.
 */
export class ModelStore {
  /** states[r] = the keyspace at revision r; states[1] is the empty store. */
  private readonly states: Map<string, KeyValue>[] = [new Map(), new Map()];
  private events: WatchEvent[] = [];
  compactRevision = 0;

  get revision(): number {
    return this.states.length - 1;
  }

  apply(cmd: Command): CommandResult {
    const revision = this.revision;
    switch (cmd.type) {
      case 'compact': {
        const requestedRevision = cmd.revision;
        if (requestedRevision > revision) {
          const { message } = new FutureRevisionError(requestedRevision, revision);
          return { type: 'rejected', code: 'FUTURE_REVISION', revision, message, requestedRevision };
        }
        if (requestedRevision <= this.compactRevision) {
          const compactRevision = this.compactRevision;
          const { message } = new CompactedRevisionError(requestedRevision, compactRevision);
          return { type: 'rejected', code: 'COMPACTED', revision, message, requestedRevision, compactRevision };
        }
        this.compactRevision = requestedRevision;
        this.events = this.events.filter((e) => e.revision >= requestedRevision);
        return { type: 'compact', revision, compactRevision: requestedRevision };
      }
      case 'txn': {
        const now = this.states[revision]!;
        const succeeded = (cmd.compare ?? []).every((c) => holds(c, now.get(c.key)));
        const { results } = this.write((succeeded ? cmd.success : cmd.failure) ?? []);
        return { type: 'txn', revision: this.revision, succeeded, results };
      }
      default: {
        const { results } = this.write([cmd]);
        return { ...results[0]!, revision: this.revision } as CommandResult;
      }
    }
  }

  range(sel: KeySelector, opts: RangeOptions): { kvs: KeyValue[]; count: number; more: boolean } {
    const at = opts.revision === undefined || opts.revision === 0 ? this.revision : opts.revision;
    if (at > this.revision) throw new FutureRevisionError(at, this.revision);
    if (at < this.compactRevision) throw new CompactedRevisionError(at, this.compactRevision);
    return rangeOf(this.states[at]!, sel, opts);
  }

  eventsSince(sel: KeySelector, fromRevision: number): WatchEvent[] {
    if (fromRevision < this.compactRevision) throw new CompactedRevisionError(fromRevision, this.compactRevision);
    return this.events.filter((e) => e.revision >= fromRevision && selects(sel, e.kv.key));
  }

  private write(ops: readonly TxnOp[]): { results: TxnOpResult[] } {
    const rev = this.revision + 1;
    const work = new Map(this.states[this.revision]);
    const events: WatchEvent[] = [];
    const remove = (key: string): KeyValue | undefined => {
      const prev = work.get(key);
      if (prev === undefined) return undefined;
      work.delete(key);
      events.push({ type: 'DELETE', revision: rev, kv: { key, value: new Uint8Array(0), createRevision: 0, modRevision: rev, version: 0 }, prevKv: prev });
      return prev;
    };
    const results = ops.map((op): TxnOpResult => {
      switch (op.type) {
        case 'put': {
          const prev = work.get(op.key);
          const kv: KeyValue = {
            key: op.key,
            value: op.value,
            createRevision: prev?.createRevision ?? rev,
            modRevision: rev,
            version: (prev?.version ?? 0) + 1,
          };
          work.set(op.key, kv);
          events.push(prev === undefined ? { type: 'PUT', revision: rev, kv } : { type: 'PUT', revision: rev, kv, prevKv: prev });
          return op.prevKv === true && prev !== undefined ? { type: 'put', prevKv: prev } : { type: 'put' };
        }
        case 'delete': {
          const prev = remove(op.key);
          if (prev === undefined) return { type: 'delete', deleted: 0 };
          return op.prevKv === true ? { type: 'delete', deleted: 1, prevKv: prev } : { type: 'delete', deleted: 1 };
        }
        case 'deleteRange': {
          const doomed = [...work.keys()].filter((k) => k.startsWith(op.prefix)).sort();
          const prevKvs = doomed.map((k) => remove(k)!);
          return op.prevKv === true ? { type: 'deleteRange', deleted: prevKvs.length, prevKvs } : { type: 'deleteRange', deleted: prevKvs.length };
        }
        case 'range':
          return { type: 'range', ...rangeOf(work, op, op) };
      }
    });
    if (events.length > 0) {
      this.states.push(work);
      this.events.push(...events);
    }
    return { results };
  }
}

function selects(sel: KeySelector, key: string): boolean {
  return sel.key !== undefined ? key === sel.key : key.startsWith(sel.prefix);
}

function rangeOf(state: ReadonlyMap<string, KeyValue>, sel: KeySelector, opts: Omit<RangeOptions, 'revision'>) {
  const inRange = [...state.keys()]
    .filter((k) => selects(sel, k) && (opts.startAfter === undefined || k > opts.startAfter))
    .sort();
  const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
  const kvs =
    opts.countOnly === true
      ? []
      : inRange.slice(0, limit).map((k) => {
          const kv = state.get(k)!;
          return opts.keysOnly === true ? { ...kv, value: new Uint8Array(0) } : kv;
        });
  return { kvs, count: inRange.length, more: opts.countOnly !== true && inRange.length > kvs.length };
}

function holds(c: Compare, kv: KeyValue | undefined): boolean {
  let order: number;
  if (c.target === 'value') {
    if (kv === undefined) return false;
    order = Buffer.compare(kv.value, c.value);
  } else {
    order = Math.sign((kv?.[c.target] ?? 0) - c.value);
  }
  return { '=': order === 0, '!=': order !== 0, '<': order < 0, '>': order > 0 }[c.op];
}
