import type { Entry } from '../core/types.js';

/**
 * A contiguous run of log entries after `offset`, with Raft's overwrite rule:
 * appending entries that start at an index already held replaces that entry
 * and everything after it. Shared by the memory log and WAL replay.
 *
 * Invariant: entries[i].index === offset + 1 + i.
 */
export class EntryRun {
  private ents: Entry[] = [];

  constructor(
    /** The index just before the first entry (a snapshot's index, or 0). */
    private off = 0,
    /** The term at `offset` (the snapshot's term), 0 if unknown or none. */
    private offTerm = 0,
  ) {}

  get offset(): number {
    return this.off;
  }

  get lastIndex(): number {
    return this.off + this.ents.length;
  }

  get entries(): readonly Entry[] {
    return this.ents;
  }

  /** The term of entry `index`, or undefined if this run does not hold it. */
  termAt(index: number): number | undefined {
    if (index === this.off) return this.off === 0 ? 0 : this.offTerm || undefined;
    if (index < this.off || index > this.lastIndex) return undefined;
    return this.ents[index - this.off - 1]!.term;
  }

  /**
   * Appends contiguous `entries`, replacing any suffix they overlap; entries
   * at or below `offset` are skipped (a snapshot covers them). Returns null,
   * or the index that was expected when the entries would leave a gap (and
   * then changes nothing).
   */
  append(entries: readonly Entry[]): number | null {
    let from = 0;
    while (from < entries.length && entries[from]!.index <= this.off) from++;
    const first = entries[from];
    if (first === undefined) return null;
    if (first.index > this.lastIndex + 1) return this.lastIndex + 1;
    this.ents.length = first.index - this.off - 1;
    for (let i = from; i < entries.length; i++) this.ents.push(entries[i]!);
    return null;
  }

  /** Drops entries up to and including `index` (<= lastIndex); `index` becomes the offset. */
  compact(index: number, term: number): void {
    if (index <= this.off) return;
    this.ents = this.ents.slice(index - this.off);
    this.off = index;
    this.offTerm = term;
  }

  /** Drops every entry; the run restarts after `index` (a snapshot that replaces the log). */
  reset(index: number, term: number): void {
    this.ents = [];
    this.off = index;
    this.offTerm = term;
  }
}
