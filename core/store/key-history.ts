import { invariant } from './errors.js';
import type { KeyValue } from './types.js';

/**
 * The versions of one key that the store still holds, oldest first: at each
 * revision that wrote the key, the version it wrote, or a tombstone
 * (undefined) where it was deleted.
 *
 * Invariant: `mods` strictly ascending; `kvs[i]`, when defined, has
 * modRevision `mods[i]`. Two writes of the key in one revision (one
 * transaction) leave one entry: the last.
 */
export class KeyHistory {
  private readonly mods: number[] = [];
  private readonly kvs: (KeyValue | undefined)[] = [];

  get length(): number {
    return this.mods.length;
  }

  /** The key now: its latest version, or undefined if deleted. O(1). */
  head(): KeyValue | undefined {
    return this.kvs[this.kvs.length - 1];
  }

  /** The key as of `revision`: the latest version written at or before it. O(log h). */
  at(revision: number): KeyValue | undefined {
    const i = this.countAtOrBefore(revision) - 1;
    return i < 0 ? undefined : this.kvs[i];
  }

  /** Records what a write at `revision` left (a version, or undefined for a delete). */
  record(revision: number, kv: KeyValue | undefined): void {
    const last = this.mods.length - 1;
    const lastMod = this.mods[last];
    if (lastMod === revision) {
      this.kvs[last] = kv;
      return;
    }
    invariant(lastMod === undefined || lastMod < revision, `key history: revision ${revision} written after ${lastMod}`);
    this.mods.push(revision);
    this.kvs.push(kv);
  }

  /**
   * Drops what no read at `revision` or later can see: of the entries below
   * `revision`, all but the last, and the last too if it is a tombstone.
   * The last one below stays even when a write at `revision` itself
   * supersedes it: the events of `revision` are kept, and their prevKv (and a
   * snapshot's replay of them, see snapshot.ts) start from it.
   * Returns how many entries were dropped.
   */
  compact(revision: number): number {
    const below = this.countAtOrBefore(revision - 1);
    if (below === 0) return 0;
    const drop = this.kvs[below - 1] === undefined ? below : below - 1;
    if (drop > 0) {
      this.mods.splice(0, drop);
      this.kvs.splice(0, drop);
    }
    return drop;
  }

  /** Whether a compaction could drop anything: more than one entry, or a tombstone. */
  isCompactable(): boolean {
    return this.mods.length > 1 || this.kvs[0] === undefined;
  }

  /** How many entries have modRevision <= revision. */
  private countAtOrBefore(revision: number): number {
    const mods = this.mods;
    const last = mods.length - 1;
    // Fast path: most reads are of the latest version.
    if (last >= 0 && mods[last]! <= revision) return mods.length;
    let lo = 0;
    let hi = mods.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (mods[mid]! <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
