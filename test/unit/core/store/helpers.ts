import { encodeCommand, type Command, type KeyValue, type KvStore } from '../../../../core/store/index.js';
import type { Entry } from '../../../../raft/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Bytes of a string value. */
export const b = (s: string): Uint8Array => enc.encode(s);

/** A value's text. */
export const text = (kv: KeyValue | undefined): string | undefined => (kv === undefined ? undefined : dec.decode(kv.value));

let nextIndex = 1;

/** A committed entry carrying `cmd`. */
export function entryOf(cmd: Command): Entry {
  return { term: 1, index: nextIndex++, type: 'normal', data: encodeCommand(cmd) };
}

/** Applies a put through an entry, as raft would. */
export function put(store: KvStore, key: string, value: string): number {
  const r = store.apply(entryOf({ type: 'put', key, value: b(value) }));
  if (r.type !== 'put') throw new Error(`put ${key} was ${r.type}`);
  return r.revision;
}

export function del(store: KvStore, key: string): number {
  const r = store.apply(entryOf({ type: 'delete', key }));
  if (r.type !== 'delete') throw new Error(`delete ${key} was ${r.type}`);
  return r.revision;
}

/** The keys of a list of key-values, for terse expectations. */
export const keys = (kvs: readonly KeyValue[]): string[] => kvs.map((kv) => kv.key);

/** key=value pairs, for terse expectations. */
export const pairs = (kvs: readonly KeyValue[]): string[] => kvs.map((kv) => `${kv.key}=${dec.decode(kv.value)}`);
