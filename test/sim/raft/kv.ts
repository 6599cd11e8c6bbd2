import type { Entry, StateMachine } from '../../../raft/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A tiny key-value state machine: entries are JSON `{ key, value }`. */
export class KvStateMachine implements StateMachine {
  data = new Map<string, string>();
  /** Every applied (index, data) in order, to compare replicas. */
  applied: { index: number; term: number; data: string }[] = [];

  apply(e: Entry): unknown {
    const s = dec.decode(e.data);
    const { key, value } = JSON.parse(s) as { key: string; value: string };
    this.data.set(key, value);
    this.applied.push({ index: e.index, term: e.term, data: s });
    return value;
  }

  snapshot(): Uint8Array {
    return enc.encode(JSON.stringify([...this.data]));
  }

  restore(data: Uint8Array): void {
    this.data = new Map(JSON.parse(dec.decode(data)) as [string, string][]);
  }
}

export const put = (key: string, value: string): Uint8Array => enc.encode(JSON.stringify({ key, value }));
