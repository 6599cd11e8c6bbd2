import type { AppendFile, Disk } from './disk.js';
import { segmentName } from './file-names.js';
import { crcSeedRecord, frameRecords, type PendingRecord } from './wal-record.js';
import type { SegmentState } from './wal-replay.js';

/**
 * Appends framed records to the current segment: one append and one fsync
 * per batch. Rolls to a new segment between batches once the current one has
 * reached its size limit (so a batch never spans two segments, and a segment
 * is always fully synced before the next one exists: only the last segment
 * can ever have a torn tail). Releases whole segments from the front.
 */
export class WalWriter {
  private file: AppendFile | null = null;

  constructor(
    private readonly disk: Disk,
    /** In order; the last is the current segment. */
    private readonly segments: SegmentState[],
    /** The crc of the last record written. */
    private crc: number,
    private readonly segmentBytesMax: number,
  ) {}

  /** Segments held, oldest first (for inspection and tests). */
  get segmentFiles(): string[] {
    return this.segments.map((s) => s.name.file);
  }

  /**
   * Writes `records` durably. `maxIndex` is the highest entry index among
   * them (0 if none); `nextIndex` the index the log expects next before
   * them, used to name a new segment.
   */
  async write(records: readonly PendingRecord[], maxIndex: number, nextIndex: number): Promise<void> {
    if (records.length === 0) return;
    let seg = this.segments[this.segments.length - 1];
    if (seg === undefined || (this.file !== null && this.file.size >= this.segmentBytesMax)) {
      seg = await this.roll(seg, nextIndex);
    }
    let file = this.file;
    if (file === null) {
      file = await this.disk.openAppend(seg.name.file);
      this.file = file;
      // The last segment left by recovery may already be full.
      if (file.size >= this.segmentBytesMax) {
        seg = await this.roll(seg, nextIndex);
        file = this.file!;
      }
    }
    const all = file.size === 0 ? [crcSeedRecord(this.crc), ...records] : records;
    const { bytes, crc } = frameRecords(all, this.crc);
    await file.append(bytes);
    await file.sync();
    this.crc = crc;
    seg.maxIndex = Math.max(seg.maxIndex, maxIndex);
  }

  /** Closes the current segment (already synced) and starts the next one. */
  private async roll(current: SegmentState | undefined, nextIndex: number): Promise<SegmentState> {
    if (this.file !== null) {
      const f = this.file;
      this.file = null;
      await f.close();
    }
    const seg: SegmentState = { name: segmentName(current === undefined ? 0 : current.name.seq + 1, nextIndex), maxIndex: 0 };
    this.file = await this.disk.openAppend(seg.name.file);
    this.segments.push(seg);
    return seg;
  }

  /**
   * Deletes segments from the front while every entry they hold is <= `index`
   * (covered by a snapshot), never the current one. Returns the files removed.
   */
  async release(index: number): Promise<string[]> {
    const removed: string[] = [];
    while (this.segments.length > 1 && this.segments[0]!.maxIndex <= index) {
      const seg = this.segments[0]!;
      // Delete before forgetting: a crash in between leaves a prefix gone,
      // which replay accepts (the first remaining segment starts the chain).
      await this.disk.remove(seg.name.file);
      this.segments.shift();
      removed.push(seg.name.file);
    }
    return removed;
  }

  async close(): Promise<void> {
    const f = this.file;
    this.file = null;
    if (f !== null) await f.close();
  }
}
