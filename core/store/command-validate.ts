import { ownedBytes } from './bytes.js';
import {
  TXN_COMPARES_MAX,
  TXN_OPS_MAX,
  type Command,
  type Compare,
  type CompareOp,
  type DeleteCommand,
  type DeleteRangeCommand,
  type PutCommand,
  type RangeOp,
  type TxnOp,
} from './commands.js';
import { MalformedCommandError } from './errors.js';

/**
 * Checks that an unknown value (decoded from an entry, or handed to
 * applyCommand) is a well-formed command, and returns a normalized copy:
 * exactly the known fields, byte values copied into arrays the store owns.
 * Throws MalformedCommandError naming the field and what is wrong with it.
 * Unknown fields are refused: every replica must read a command the same way,
 * so a field this version does not know is an error, not a silent no-op.
 */
export function validateCommand(raw: unknown): Command {
  const o = record(raw, '');
  switch (o['type']) {
    case 'put':
      return put(o, '');
    case 'delete':
      return del(o, '');
    case 'deleteRange':
      return deleteRange(o, '');
    case 'txn': {
      only(o, '', 'txn', ['type', 'compare', 'success', 'failure']);
      const compare = list(o['compare'], 'compare', TXN_COMPARES_MAX, compareOf);
      const success = list(o['success'], 'success', TXN_OPS_MAX, txnOp);
      const failure = list(o['failure'], 'failure', TXN_OPS_MAX, txnOp);
      return { type: 'txn', compare, success, failure };
    }
    case 'compact':
      only(o, '', 'compact', ['type', 'revision']);
      return { type: 'compact', revision: revisionAt(o['revision'], 'revision') };
    default:
      throw new MalformedCommandError(at('', 'type'), `must be one of put, delete, deleteRange, txn, compact (got ${show(o['type'])})`);
  }
}

type Fields = Readonly<Record<string, unknown>>;

function put(o: Fields, path: string): PutCommand {
  only(o, path, 'put', ['type', 'key', 'value', 'prevKv']);
  const key = keyAt(o['key'], at(path, 'key'));
  const value = bytesAt(o['value'], at(path, 'value'));
  const prevKv = optionalBoolean(o['prevKv'], at(path, 'prevKv'));
  return prevKv === undefined ? { type: 'put', key, value } : { type: 'put', key, value, prevKv };
}

function del(o: Fields, path: string): DeleteCommand {
  only(o, path, 'delete', ['type', 'key', 'prevKv']);
  const key = keyAt(o['key'], at(path, 'key'));
  const prevKv = optionalBoolean(o['prevKv'], at(path, 'prevKv'));
  return prevKv === undefined ? { type: 'delete', key } : { type: 'delete', key, prevKv };
}

function deleteRange(o: Fields, path: string): DeleteRangeCommand {
  only(o, path, 'deleteRange', ['type', 'prefix', 'prevKv']);
  const prefix = stringAt(o['prefix'], at(path, 'prefix'));
  const prevKv = optionalBoolean(o['prevKv'], at(path, 'prevKv'));
  return prevKv === undefined ? { type: 'deleteRange', prefix } : { type: 'deleteRange', prefix, prevKv };
}

function range(o: Fields, path: string): RangeOp {
  only(o, path, 'range', ['type', 'key', 'prefix', 'limit', 'startAfter', 'countOnly', 'keysOnly']);
  const hasKey = o['key'] !== undefined;
  const hasPrefix = o['prefix'] !== undefined;
  if (hasKey === hasPrefix) throw new MalformedCommandError(path, 'a range needs exactly one of key and prefix');
  const limit = o['limit'];
  const startAfter = o['startAfter'];
  const countOnly = optionalBoolean(o['countOnly'], at(path, 'countOnly'));
  const keysOnly = optionalBoolean(o['keysOnly'], at(path, 'keysOnly'));
  return {
    type: 'range',
    ...(hasKey ? { key: keyAt(o['key'], at(path, 'key')) } : { prefix: stringAt(o['prefix'], at(path, 'prefix')) }),
    ...(limit === undefined ? {} : { limit: countAt(limit, at(path, 'limit')) }),
    ...(startAfter === undefined ? {} : { startAfter: stringAt(startAfter, at(path, 'startAfter')) }),
    ...(countOnly === undefined ? {} : { countOnly }),
    ...(keysOnly === undefined ? {} : { keysOnly }),
  };
}

function txnOp(raw: unknown, path: string): TxnOp {
  const o = record(raw, path);
  switch (o['type']) {
    case 'put':
      return put(o, path);
    case 'delete':
      return del(o, path);
    case 'deleteRange':
      return deleteRange(o, path);
    case 'range':
      return range(o, path);
    default:
      throw new MalformedCommandError(at(path, 'type'), `must be one of put, delete, deleteRange, range (got ${show(o['type'])})`);
  }
}

const COMPARE_OPS: ReadonlySet<unknown> = new Set<CompareOp>(['=', '!=', '<', '>']);

function compareOf(raw: unknown, path: string): Compare {
  const o = record(raw, path);
  only(o, path, 'compare', ['key', 'target', 'op', 'value']);
  const key = keyAt(o['key'], at(path, 'key'));
  const op = o['op'];
  if (!COMPARE_OPS.has(op)) throw new MalformedCommandError(at(path, 'op'), `must be one of =, !=, <, > (got ${show(op)})`);
  const cop = op as CompareOp;
  const target = o['target'];
  switch (target) {
    case 'value':
      return { key, target, op: cop, value: bytesAt(o['value'], at(path, 'value')) };
    case 'modRevision':
    case 'createRevision':
    case 'version':
      return { key, target, op: cop, value: countAt(o['value'], at(path, 'value')) };
    default:
      throw new MalformedCommandError(at(path, 'target'), `must be one of modRevision, createRevision, version, value (got ${show(target)})`);
  }
}

// ---- Field checks: each throws naming the path ----

function record(v: unknown, path: string): Fields {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) {
    throw new MalformedCommandError(path, `expected an object, got ${kind(v)}`);
  }
  return v as Fields;
}

function only(o: Fields, path: string, what: string, known: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (o[k] !== undefined && !known.includes(k)) {
      throw new MalformedCommandError(at(path, k), `unknown field (a ${what} takes ${known.join(', ')})`);
    }
  }
}

function list<T>(v: unknown, path: string, max: number, item: (raw: unknown, path: string) => T): T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new MalformedCommandError(path, `expected an array, got ${kind(v)}`);
  if (v.length > max) throw new MalformedCommandError(path, `at most ${max} allowed, got ${v.length}`);
  return v.map((x: unknown, i) => item(x, `${path}[${i}]`));
}

function stringAt(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new MalformedCommandError(path, `expected a string, got ${kind(v)}`);
  return v;
}

function keyAt(v: unknown, path: string): string {
  const s = stringAt(v, path);
  if (s.length === 0) throw new MalformedCommandError(path, 'must not be empty');
  return s;
}

function bytesAt(v: unknown, path: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new MalformedCommandError(path, `expected bytes (a Uint8Array), got ${kind(v)}`);
  return ownedBytes(v);
}

function optionalBoolean(v: unknown, path: string): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  throw new MalformedCommandError(path, `expected a boolean, got ${kind(v)}`);
}

/** An integer >= 0. */
function countAt(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new MalformedCommandError(path, `expected an integer >= 0, got ${show(v)}`);
  }
  return v;
}

/** An integer >= 1. */
function revisionAt(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new MalformedCommandError(path, `expected a revision (an integer >= 1), got ${show(v)}`);
  }
  return v;
}

function at(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  return kind(v);
}
