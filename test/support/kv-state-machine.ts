import { createHash } from 'node:crypto';
import type { Entry, StateMachine } from '../../raft/index.js';

// A small key-value state machine for raft tests that run replicas in their
// own processes (test/integration/fixtures/raft-replica.ts, the raft bench).
// Entries are JSON `{ key, value }`; apply returns the value. Unlike the
// simulation's kv.ts it keeps no per-entry history (a bench applies hundreds
// of thousands), only the map and the last applied index.

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The KV map, the applied index, and a digest that two replicas agree on iff their maps are equal. */
export interface KvView {
  readonly appliedIndex: number;
  readonly size: number;
  /** sha256 over the entries sorted by key. */
  readonly digest: string;
}

export class KvStateMachine implements StateMachine {
  data = new Map<string, string>();
  /** The index of the last entry applied (or restored by a snapshot). */
  appliedIndex = 0;
  /** Normal entries applied by this incarnation (restores not counted). */
  appliedCount = 0;

  apply(e: Entry): unknown {
    const { key, value } = JSON.parse(dec.decode(e.data)) as { key: string; value: string };
    this.data.set(key, value);
    this.appliedIndex = e.index;
    this.appliedCount++;
    return value;
  }

  snapshot(): Uint8Array {
    return enc.encode(JSON.stringify({ appliedIndex: this.appliedIndex, data: [...this.data] }));
  }

  restore(bytes: Uint8Array): void {
    const s = JSON.parse(dec.decode(bytes)) as { appliedIndex: number; data: [string, string][] };
    this.data = new Map(s.data);
    this.appliedIndex = s.appliedIndex;
  }

  view(): KvView {
    return { appliedIndex: this.appliedIndex, size: this.data.size, digest: digestOf(this.data) };
  }
}

/** The digest of a KV map, independent of insertion order. */
export function digestOf(data: ReadonlyMap<string, string> | Iterable<readonly [string, string]>): string {
  const entries = [...(data instanceof Map ? data.entries() : data)] as [string, string][];
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const h = createHash('sha256');
  for (const [k, v] of entries) h.update(`${k.length}:${k}${v.length}:${v}\n`);
  return h.digest('hex');
}

/** The bytes of a put of `value` at `key`. */
export const put = (key: string, value: string): Uint8Array => enc.encode(JSON.stringify({ key, value }));

/** A put whose encoding is exactly `bytes` long (the value is padded with 'x'); for benchmarks. */
export function putOfSize(key: string, tag: string, bytes: number): Uint8Array {
  const bare = put(key, tag).byteLength;
  if (bare > bytes) throw new RangeError(`a put of ${key}=${tag} needs ${bare} bytes, more than ${bytes}`);
  return put(key, tag + 'x'.repeat(bytes - bare));
}
