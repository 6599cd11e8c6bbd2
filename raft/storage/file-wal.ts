import type { Entry, HardState, Snapshot } from '../core/types.js';
import type { Disk } from './disk.js';
import type { DurableLog, RecoveredState } from './durable-log.js';
import { StorageInvariantError, WalClosedError, WalFailedError } from './errors.js';
import { HARD_STATE_FILE, SNAP_DIR, WAL_DIR, snapshotName, type SnapshotName } from './file-names.js';
import { checkSave, checkSnapshot, positionAfterSave, positionAfterSnapshot, type LogPosition } from './log-contract.js';
import { encodeHardState, encodeSnapshot, listSnapshots, loadNewestSnapshot, readHardState, type InvalidSnapshot } from './state-files.js';
import { entriesRecord, hardStateRecord, snapshotMarkerRecord, type PendingRecord } from './wal-record.js';
import { replayWal, settle } from './wal-replay.js';
import { MAX_RECORD_PAYLOAD_BYTES, type TornTail } from './wal-scan.js';
import { WalWriter } from './wal-writer.js';

export interface FileWalOptions {
  /** A segment rolls once it holds this many bytes (checked between batches). Default 64 MiB. */
  readonly segmentBytesMax: number;
  /** Snapshot files kept; segments are released only up to the oldest kept. Default 2. */
  readonly snapshotsRetained: number;
}

export const DEFAULT_FILE_WAL_OPTIONS: FileWalOptions = {
  segmentBytesMax: 64 * 1024 * 1024,
  snapshotsRetained: 2,
};

/** What opening the WAL found and repaired. */
export interface WalRecoveryReport {
  /** The torn tail cut from the last segment, if there was one. */
  readonly tornTail: TornTail | null;
  /** Snapshot files newer than the one used whose checksum failed (they were deleted). */
  readonly invalidSnapshots: readonly InvalidSnapshot[];
  readonly segments: number;
  readonly records: number;
}

/** Entries are framed into records of about this many data bytes (a batch may make several). */
const ENTRIES_RECORD_BYTES_TARGET = 1024 * 1024;
/** Room for the msgpack framing of one entry beside its data. */
const ENTRY_OVERHEAD_BYTES = 32;

type Op =
  | { readonly kind: 'save'; readonly hardState: HardState | null; readonly entries: readonly Entry[] }
  | { readonly kind: 'snapshot'; readonly snapshot: Snapshot };

interface Queued {
  readonly op: Op;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * A DurableLog over a Disk: segment files of chained-crc records, an atomic
 * hardstate file, and atomic snapshot files (layout in file-names.ts).
 *
 * Group commit: saves queue up; one flush loop writes everything queued as
 * one batch (one append, one fsync) and resolves the batch in order, then
 * takes what queued meanwhile. No timers: the next batch is simply whatever
 * arrived while the previous fsync was in flight.
 *
 * Hard state: a term or vote change is written to `hardstate` by writeAtomic
 * BEFORE the batch's snapshot files and WAL records (so the durable term is
 * never below the term of a durable entry or snapshot) and before the save
 * resolves. A change of the commit
 * index alone costs only a small WAL record in the same batch, no extra
 * fsync: Raft's commit index is volatile (a restarted replica learns it
 * again from the leader), so recovering an older value is safe. Recovery
 * takes the highest commit found, clamped to the recovered log.
 *
 * Snapshots: written with writeAtomic as `snap/<term>-<index>.snap` (crc
 * over meta and data), then a marker record goes in the WAL, in queue order.
 * On open the NEWEST snapshot with a valid checksum is used, marker or not:
 * a file that passed writeAtomic is complete and holds only committed state,
 * so a crash between the file and its marker loses nothing by using it (and
 * Raft's snapshot rule settles the log against it the same way the marker
 * would have). A newer file with a bad checksum is bit rot: it is skipped,
 * reported and deleted, and the older snapshot is used if the WAL still
 * reaches back to it (else WalGapError). To make that fallback real, the
 * last `snapshotsRetained` snapshots are kept and segments are released only
 * up to the OLDEST kept one.
 */
export class FileWal implements DurableLog {
  private queue: Queued[] = [];
  private loop: Promise<void> | null = null;
  private failure: unknown = null;
  private closed = false;
  /** After every queued op (checks run against it). */
  private queuedPos: LogPosition;
  /** After every written op. */
  private writtenPos: LogPosition;

  private constructor(
    private readonly disk: Disk,
    private readonly options: FileWalOptions,
    readonly recovered: RecoveredState,
    readonly recovery: WalRecoveryReport,
    private readonly writer: WalWriter,
    /** Snapshot files kept, oldest first. */
    private readonly snapshots: SnapshotName[],
  ) {
    const snapshotIndex = recovered.snapshot?.meta.index ?? 0;
    this.queuedPos = { hardState: recovered.hardState, lastIndex: snapshotIndex + recovered.entries.length, snapshotIndex };
    this.writtenPos = this.queuedPos;
  }

  /** Opens (or creates) the WAL on `disk`, recovering what it holds. */
  static async open(disk: Disk, options: Partial<FileWalOptions> = {}): Promise<FileWal> {
    const opts: FileWalOptions = { ...DEFAULT_FILE_WAL_OPTIONS, ...options };
    if (!(opts.segmentBytesMax >= 1) || !(opts.snapshotsRetained >= 1)) {
      throw new RangeError(`FileWal: bad options ${JSON.stringify(opts)}`);
    }
    await disk.mkdirp(WAL_DIR);
    await disk.mkdirp(SNAP_DIR);
    const hardState = await readHardState(disk);
    const { snapshot, invalid } = await loadNewestSnapshot(disk);
    const replay = await replayWal(disk);
    const { recovered, replaced } = settle(replay, snapshot, hardState);
    const writer = new WalWriter(disk, replay.segments, replay.endCrc, opts.segmentBytesMax);
    if (replaced && snapshot !== null) {
      // The snapshot's marker was lost in a crash: write it now, before any
      // entry that follows the snapshot, so replay sees the log was replaced.
      const { index, term } = snapshot.meta;
      await writer.write([snapshotMarkerRecord(index, term)], 0, index + 1);
    }
    // Only now that recovery succeeded: drop the invalid newer snapshots.
    for (const bad of invalid) await disk.remove(bad.file);
    const kept = (await listSnapshots(disk)).filter((s) => s.index <= (snapshot?.meta.index ?? 0));
    const report: WalRecoveryReport = {
      tornTail: replay.tornTail,
      invalidSnapshots: invalid,
      segments: replay.segments.length,
      records: replay.records,
    };
    return new FileWal(disk, opts, recovered, report, writer, kept);
  }

  get repairs(): string[] {
    const r = this.recovery;
    const out: string[] = [];
    if (r.tornTail) out.push(`torn tail cut from ${r.tornTail.file} at offset ${r.tornTail.offset} (${r.tornTail.droppedBytes} bytes): ${r.tornTail.reason}`);
    for (const s of r.invalidSnapshots) out.push(`invalid snapshot skipped and deleted: ${JSON.stringify(s)}`);
    return out;
  }

  /** Segment files currently held, oldest first. */
  get segmentFiles(): string[] {
    return this.writer.segmentFiles;
  }

  save(hardState: HardState | null, entries: readonly Entry[]): Promise<void> {
    try {
      this.checkOpen();
      checkSave(this.queuedPos, hardState, entries);
      for (const e of entries) {
        if (e.data.byteLength + ENTRY_OVERHEAD_BYTES > MAX_RECORD_PAYLOAD_BYTES) {
          throw new StorageInvariantError(`entry ${e.index} holds ${e.data.byteLength} bytes, over the WAL's record limit`);
        }
      }
    } catch (err) {
      return Promise.reject(err as Error);
    }
    // Entries a snapshot covers are dropped here: replay would ignore them.
    const live = entries.filter((e) => e.index > this.queuedPos.snapshotIndex);
    this.queuedPos = positionAfterSave(this.queuedPos, hardState, entries);
    return this.enqueue({ kind: 'save', hardState, entries: live });
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    try {
      this.checkOpen();
      // Not newer than the last: a no-op that still resolves in order.
      if (!checkSnapshot(this.queuedPos, snapshot)) return this.enqueue({ kind: 'save', hardState: null, entries: [] });
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.queuedPos = positionAfterSnapshot(this.queuedPos, snapshot);
    return this.enqueue({ kind: 'snapshot', snapshot });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loop;
    await this.writer.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new WalClosedError();
    if (this.failure !== null) throw new WalFailedError({ cause: this.failure });
  }

  private enqueue(op: Op): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.loop ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let the saves made in the same synchronous run join the first batch.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const snapshots = await this.writeBatch(batch.map((q) => q.op));
        // Before resolving, so that a resolved saveSnapshot has released
        // what it covers (a rare, small cost on the batches with snapshots).
        if (snapshots.length > 0) await this.retire(snapshots);
      } catch (err) {
        this.fail(err, batch);
        break;
      }
      for (const q of batch) q.resolve();
    }
    this.loop = null;
  }

  private fail(err: unknown, batch: readonly Queued[]): void {
    this.failure = err;
    const rejected = [...batch, ...this.queue];
    this.queue = [];
    for (const q of rejected) q.reject(new WalFailedError({ cause: err }));
  }

  /** Writes one batch durably; returns the snapshot files it wrote. */
  private async writeBatch(ops: readonly Op[]): Promise<SnapshotName[]> {
    const before = this.writtenPos;
    let pos = before;
    let maxIndex = 0;
    const records: PendingRecord[] = [];
    const snapshots: Snapshot[] = [];
    for (const op of ops) {
      if (op.kind === 'save') {
        for (const chunk of chunkEntries(op.entries)) records.push(entriesRecord(chunk));
        const last = op.entries[op.entries.length - 1];
        if (last !== undefined) maxIndex = Math.max(maxIndex, last.index);
        pos = positionAfterSave(pos, op.hardState, op.entries);
      } else {
        snapshots.push(op.snapshot);
        records.push(snapshotMarkerRecord(op.snapshot.meta.index, op.snapshot.meta.term));
        pos = positionAfterSnapshot(pos, op.snapshot);
      }
    }
    const hs = pos.hardState;
    const old = before.hardState;
    if (hs.term !== old.term || hs.vote !== old.vote || hs.commit !== old.commit) records.push(hardStateRecord(hs));

    // Files first, the hard state before all: the durable term is never
    // below the term of a durable entry or snapshot, and a marker is never
    // durable before its snapshot file.
    if (hs.term !== old.term || hs.vote !== old.vote) await this.disk.writeAtomic(HARD_STATE_FILE, encodeHardState(hs));
    const names: SnapshotName[] = [];
    for (const s of snapshots) {
      const name = snapshotName(s.meta.term, s.meta.index);
      await this.disk.writeAtomic(name.file, encodeSnapshot(s));
      names.push(name);
    }
    await this.writer.write(records, maxIndex, before.lastIndex + 1);
    this.writtenPos = pos;
    return names;
  }

  /** After snapshots are durable and marked: keep the newest few, release segments up to the oldest kept. */
  private async retire(written: readonly SnapshotName[]): Promise<void> {
    for (const name of written) {
      if (!this.snapshots.some((s) => s.file === name.file)) this.snapshots.push(name);
    }
    while (this.snapshots.length > this.options.snapshotsRetained) {
      await this.disk.remove(this.snapshots[0]!.file);
      this.snapshots.shift();
    }
    await this.writer.release(this.snapshots[0]!.index);
  }
}

/** Splits entries into runs of about ENTRIES_RECORD_BYTES_TARGET data bytes (at least one entry each). */
function chunkEntries(entries: readonly Entry[]): (readonly Entry[])[] {
  if (entries.length === 0) return [];
  const chunks: (readonly Entry[])[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const size = entries[i]!.data.byteLength + ENTRY_OVERHEAD_BYTES;
    if (i > start && bytes + size > ENTRIES_RECORD_BYTES_TARGET) {
      chunks.push(entries.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  chunks.push(start === 0 ? entries : entries.slice(start));
  return chunks;
}
