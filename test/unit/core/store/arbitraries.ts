import fc from 'fast-check';
import type {
  Command,
  Compare,
  CompareOp,
  DeleteCommand,
  DeleteRangeCommand,
  KeySelector,
  PutCommand,
  TxnCommand,
  TxnOp,
} from '../../../../core/store/index.js';

/**
 * Random store commands over a small keyspace (so keys collide, prefixes
 * nest and transactions race), with revisions near the ones a short run
 * reaches (so compares sometimes hold and compactions sometimes apply).
 */

export const KEYS = ['a', 'a/1', 'a/2', 'a/2/x', 'b', 'b/1', 'c'] as const;
export const PREFIXES = ['', 'a', 'a/', 'a/2', 'b/', 'c', 'z'] as const;

const key = fc.constantFrom(...KEYS);
const prefix = fc.constantFrom(...PREFIXES);
const value = fc.uint8Array({ maxLength: 3 });
const rev = fc.integer({ min: 0, max: 40 });
const flag = fc.option(fc.boolean(), { nil: undefined });

/** Drops undefined fields (commands are exact: exactOptionalPropertyTypes). */
function exact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const selector: fc.Arbitrary<KeySelector> = fc.oneof(
  key.map((k): KeySelector => ({ key: k })),
  prefix.map((p): KeySelector => ({ prefix: p })),
);

const put: fc.Arbitrary<PutCommand> = fc.record({ key, value, prevKv: flag }).map((r) => exact({ type: 'put', ...r }) as unknown as PutCommand);
const del: fc.Arbitrary<DeleteCommand> = fc.record({ key, prevKv: flag }).map((r) => exact({ type: 'delete', ...r }) as unknown as DeleteCommand);
const delRange: fc.Arbitrary<DeleteRangeCommand> = fc.record({ prefix, prevKv: flag }).map((r) => exact({ type: 'deleteRange', ...r }) as unknown as DeleteRangeCommand);

const range: fc.Arbitrary<TxnOp> = fc
  .record({
    sel: selector,
    limit: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    startAfter: fc.option(key, { nil: undefined }),
    countOnly: flag,
    keysOnly: flag,
  })
  .map(({ sel, ...o }) => exact({ type: 'range', ...sel, ...o }) as unknown as TxnOp);

const op: fc.Arbitrary<TxnOp> = fc.oneof(put, del, delRange, range);

const compareOp = fc.constantFrom<CompareOp>('=', '!=', '<', '>');
const compare: fc.Arbitrary<Compare> = fc.oneof(
  fc.record({
    key,
    target: fc.constantFrom('modRevision' as const, 'createRevision' as const, 'version' as const),
    op: compareOp,
    value: fc.integer({ min: 0, max: 30 }),
  }),
  fc.record({ key, target: fc.constant('value' as const), op: compareOp, value }),
);

const txn: fc.Arbitrary<Command> = fc
  .record({
    compare: fc.option(fc.array(compare, { maxLength: 3 }), { nil: undefined }),
    success: fc.option(fc.array(op, { maxLength: 4 }), { nil: undefined }),
    failure: fc.option(fc.array(op, { maxLength: 4 }), { nil: undefined }),
  })
  .map((r) => exact({ type: 'txn', ...r }) as unknown as TxnCommand);

const compact: fc.Arbitrary<Command> = rev.map((r): Command => ({ type: 'compact', revision: Math.max(1, r) }));

/** A command, mostly writes. */
export const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: put, weight: 5 },
  { arbitrary: del, weight: 2 },
  { arbitrary: delRange, weight: 1 },
  { arbitrary: txn, weight: 3 },
  { arbitrary: compact, weight: 1 },
);

/** What a test reads after commands: a range or an events query, at a revision near the current one. */
export const read = fc.record({
  sel: selector,
  back: fc.integer({ min: 0, max: 12 }),
  limit: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  startAfter: fc.option(key, { nil: undefined }),
});
