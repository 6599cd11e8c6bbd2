import { Packr } from 'msgpackr';
import { ownedBytes } from './bytes.js';
import { SnapshotFormatError } from './errors.js';
import { MvccIndex } from './mvcc-index.js';
import { StoreState, type WriteBatch } from './store-state.js';
import type { KeyValue } from './types.js';

/**
 * The store's snapshot: everything a read or watch could still ask for, not
 * just the current keys. A replica restored from it answers historical
 * ranges and watches from any revision not yet compacted exactly as the
 * original does, and applies later commands with the same results.
 *
 * It holds the state at the compaction point plus every write since, and
 * restore rebuilds the rest by replaying those writes through the same
 * StoreState.put/delete that apply uses (so versions, create revisions and
 * prevKvs are not stored, they are recomputed identically):
 *
 *   msgpack [SNAPSHOT_FORMAT, revision, compactRevision, base, events]
 *   base   = flat [key, value, createRevision, modRevision, version, ...]
 *            each key's latest version below compactRevision, if it was alive
 *            then, in key order (what compaction kept from below it)
 *   events = flat, in log order: PUT    -> 0, revision, key, value
 *                                DELETE -> 1, revision, key
 *
 * Every revision from max(2, compactRevision) to `revision` has at least
 * one event (only a write that changed something makes a revision), which
 * restore checks. The same state always gives the same bytes.
 *
 * Size: the values of the current keys plus those of every write since the
 * last compaction (compact regularly to bound it).
 */
export const SNAPSHOT_FORMAT = 1;

const PUT = 0;
const DELETE = 1;

const packr = new Packr({ useRecords: false });

export function encodeSnapshot(state: StoreState): Uint8Array {
  const base: unknown[] = [];
  if (state.compactRevision > 1) {
    state.index.forEachVersionBefore(state.compactRevision, (kv) => {
      base.push(kv.key, kv.value, kv.createRevision, kv.modRevision, kv.version);
    });
  }
  const events: unknown[] = [];
  for (const e of state.log.all()) {
    if (e.type === 'PUT') events.push(PUT, e.revision, e.kv.key, e.kv.value);
    else events.push(DELETE, e.revision, e.kv.key);
  }
  return packr.pack([SNAPSHOT_FORMAT, state.revision, state.compactRevision, base, events]);
}

/** Rebuilds a state from snapshot bytes. Throws SnapshotFormatError naming what is wrong. */
export function decodeSnapshot(data: Uint8Array): StoreState {
  let raw: unknown;
  try {
    raw = packr.unpack(data);
  } catch (e) {
    throw new SnapshotFormatError(`does not decode as msgpack (${(e as Error).message})`, { cause: e });
  }
  if (!Array.isArray(raw) || raw.length !== 5) throw new SnapshotFormatError('expected [format, revision, compactRevision, base, events]');
  const [format, revision, compactRevision, base, events] = raw as unknown[];
  if (format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError(`unknown format ${String(format)} (this store reads format ${SNAPSHOT_FORMAT})`);
  const rev = integer(revision, 'revision', 1);
  const compactRev = integer(compactRevision, 'compactRevision', 0);
  if (compactRev > rev) throw new SnapshotFormatError(`compactRevision ${compactRev} is ahead of revision ${rev}`);
  if (!Array.isArray(base)) throw new SnapshotFormatError('base is not an array');
  if (!Array.isArray(events)) throw new SnapshotFormatError('events is not an array');

  const state = new StoreState(MvccIndex.fromVersions(decodeBase(base as unknown[], compactRev)));
  state.revision = Math.max(1, compactRev - 1);
  replay(state, events as unknown[]);
  if (state.revision !== rev) throw new SnapshotFormatError(`events end at revision ${state.revision}, the snapshot says ${rev}`);
  state.compactRevision = compactRev;
  return state;
}

function decodeBase(flat: readonly unknown[], compactRev: number): KeyValue[] {
  if (flat.length % 5 !== 0) throw new SnapshotFormatError('base is not a list of [key, value, createRevision, modRevision, version]');
  const kvs: KeyValue[] = [];
  let prevKey: string | undefined;
  for (let i = 0; i < flat.length; i += 5) {
    const what = `base entry ${i / 5}`;
    const key = keyAt(flat[i], what);
    if (prevKey !== undefined && !(prevKey < key)) throw new SnapshotFormatError(`${what}: key ${JSON.stringify(key)} is not after ${JSON.stringify(prevKey)}`);
    prevKey = key;
    const value = bytesAt(flat[i + 1], what);
    const createRevision = integer(flat[i + 2], `${what}.createRevision`, 2);
    const modRevision = integer(flat[i + 3], `${what}.modRevision`, createRevision);
    const version = integer(flat[i + 4], `${what}.version`, 1);
    if (modRevision >= compactRev) throw new SnapshotFormatError(`${what}: modRevision ${modRevision} is not below compactRevision ${compactRev}`);
    kvs.push({ key, value, createRevision, modRevision, version });
  }
  return kvs;
}

function replay(state: StoreState, flat: readonly unknown[]): void {
  let batch: WriteBatch | undefined;
  for (let i = 0; i < flat.length; ) {
    const what = `event at ${i}`;
    const tag = flat[i];
    const revision = integer(flat[i + 1], `${what}.revision`, 2);
    const key = keyAt(flat[i + 2], what);
    if (batch === undefined || revision !== batch.revision) {
      if (batch !== undefined) state.commit(batch);
      if (revision !== state.revision + 1) throw new SnapshotFormatError(`${what}: revision ${revision} follows ${state.revision}`);
      batch = state.beginWrite(revision);
    }
    if (tag === PUT) {
      state.put(batch, key, bytesAt(flat[i + 3], what));
      i += 4;
    } else if (tag === DELETE) {
      if (state.delete(batch, key) === undefined) throw new SnapshotFormatError(`${what}: deletes ${JSON.stringify(key)}, which does not exist`);
      i += 3;
    } else {
      throw new SnapshotFormatError(`${what}: unknown event type ${String(tag)}`);
    }
  }
  if (batch !== undefined) state.commit(batch);
}

function integer(v: unknown, what: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new SnapshotFormatError(`${what} is not an integer >= ${min}`);
  return v;
}

function keyAt(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new SnapshotFormatError(`${what}: key is not a non-empty string`);
  return v;
}

function bytesAt(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new SnapshotFormatError(`${what}: value is not bytes`);
  return ownedBytes(v);
}
