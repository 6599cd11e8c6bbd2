import { CompactedError, invariant } from './errors.js';
import { EMPTY_HARD_STATE, EMPTY_SNAPSHOT_META, type ConfState, type Entry, type HardState, type Snapshot } from './types.js';

/**
 * What the raft core reads of the stable log (the part that is durable).
 * Intervals are [lo, hi). `term(i)` is undefined when i is compacted away or
 * beyond the last index; the snapshot's own index still has a term.
 */
export interface Storage {
  initialState(): { hardState: HardState; conf: ConfState };
  entries(lo: number, hi: number, maxBytes: number): Entry[];
  term(index: number): number | undefined;
  firstIndex(): number;
  lastIndex(): number;
  snapshot(): Snapshot;
}

/** Approximate wire size of an entry, for batching limits. */
export function entrySize(e: Entry): number {
  return e.data.byteLength + 24;
}

/** Takes entries while their total size stays within maxBytes (at least one). */
export function limitSize(ents: Entry[], maxBytes: number): Entry[] {
  if (ents.length === 0) return ents;
  let size = entrySize(ents[0]!);
  let n = 1;
  for (; n < ents.length; n++) {
    size += entrySize(ents[n]!);
    if (size > maxBytes) break;
  }
  return n === ents.length ? ents : ents.slice(0, n);
}

/**
 * The stable log in memory. The replica keeps it in step with its durable
 * log: it appends here what it has persisted, and reloads it from disk on
 * restart. ents[0] is a dummy holding the snapshot's index and term.
 */
export class MemoryStorage implements Storage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot = { meta: EMPTY_SNAPSHOT_META, data: new Uint8Array() };
  private ents: Entry[] = [{ term: 0, index: 0, type: 'normal', data: new Uint8Array() }];

  initialState(): { hardState: HardState; conf: ConfState } {
    return { hardState: this.hardState, conf: this.snap.meta.conf };
  }

  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  private get offset(): number {
    return this.ents[0]!.index;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.offset + this.ents.length - 1;
  }

  term(index: number): number | undefined {
    const off = this.offset;
    if (index < off || index > this.lastIndex()) return undefined;
    return this.ents[index - off]!.term;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    const off = this.offset;
    if (lo <= off) throw new CompactedError(lo, off + 1);
    invariant(hi <= this.lastIndex() + 1, `entries(${lo}, ${hi}) beyond last index ${this.lastIndex()}`);
    return limitSize(this.ents.slice(lo - off, hi - off), maxBytes);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces everything with a snapshot (a follower catching up). */
  applySnapshot(snap: Snapshot): void {
    if (snap.meta.index <= this.snap.meta.index) return;
    this.snap = snap;
    this.ents = [{ term: snap.meta.term, index: snap.meta.index, type: 'normal', data: new Uint8Array() }];
  }

  /** Records a snapshot of the state machine at `index` (<= applied). */
  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot {
    invariant(index <= this.lastIndex(), `snapshot index ${index} beyond last index ${this.lastIndex()}`);
    if (index <= this.snap.meta.index) return this.snap;
    const term = this.term(index);
    invariant(term !== undefined, `no term for snapshot index ${index}`);
    this.snap = { meta: { index, term, conf }, data };
    return this.snap;
  }

  /** Drops entries up to and including `index` (it becomes the dummy). */
  compact(index: number): void {
    const off = this.offset;
    if (index <= off) return;
    invariant(index <= this.lastIndex(), `compact ${index} beyond last index ${this.lastIndex()}`);
    this.ents = this.ents.slice(index - off);
    const d = this.ents[0]!;
    this.ents[0] = { term: d.term, index: d.index, type: 'normal', data: new Uint8Array() };
  }

  /** Appends entries, replacing any existing suffix they overlap. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    let ents = entries;
    // Skip what was compacted already.
    if (ents[0]!.index < first) ents = ents.slice(first - ents[0]!.index);
    if (ents.length === 0) return;
    const at = ents[0]!.index - this.offset;
    invariant(at <= this.ents.length, `append at ${ents[0]!.index} leaves a gap after ${this.lastIndex()}`);
    this.ents.length = at;
    for (const e of ents) this.ents.push(e);
  }
}
