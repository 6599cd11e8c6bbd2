/**
 * An in-memory Disk for simulation and tests, with a documented fault model.
 *
 * FAULT MODEL
 *
 * - Every file holds durable bytes (they survive a crash) and, after them,
 *   its unsynced writes: the appends since its last sync, in order. Reads see
 *   both.
 * - `sync()` makes all of a file's unsynced writes durable. With
 *   `lostSyncProbability` > 0 (needs `random`), a sync may resolve without
 *   making anything durable: a lying disk, which breaks the Disk contract on
 *   purpose so that checkers can be shown to catch lost acknowledged writes.
 * - `crash(random)`: every file with unsynced writes, taken in path order:
 *     1. with probability `keepUnsyncedProbability`, the first k of its n
 *        unsynced writes survive whole (k uniform in 0..n): writes reach the
 *        platter in order, never out of order;
 *     2. then, with probability `tornWriteProbability`, the next write
 *        survives in part, a random prefix of 0..len-1 bytes (a torn write);
 *        with probability `zeroFillProbability` the rest of that write is
 *        left as zero bytes instead of cut off (the file system grew the file
 *        but never wrote its data blocks);
 *     3. everything after is lost.
 *   Synced bytes never change. So after a crash each file holds its synced
 *   bytes, then a prefix of what was appended after them, then maybe zeros.
 * - Durable at once, when they resolve: `writeAtomic` (all or nothing: a
 *   crash finds the old content or the new, never a mix), `truncate`,
 *   `remove`, `mkdirp`, and the creation of a file by `openAppend`. The real
 *   disk pays an fsync of the directory for each of these; the simulation
 *   does not model a lost directory entry. There is no rename in the Disk
 *   interface; writeAtomic is the only rename and it is atomic.
 * - Every operation takes effect when it is called (it resolves on a later
 *   microtask), so a crash while a sync is in flight finds it done or not
 *   done, never half done.
 * - A crash ends the process that used the disk: `crash()` returns a new
 *   SimDisk on the same files for the next incarnation, and the old one, with
 *   every handle opened through it, rejects all further calls with
 *   `DiskCrashedError` (so a write still in flight in the dead process can
 *   never reach the files the new one reads).
 * - `flipBit` models bit rot (of synced and unsynced bytes alike).
 * - Deterministic: the only randomness is the Random given to `crash` and the
 *   `random` option (drawn only for lost syncs); files are visited in sorted
 *   order. Same seed, same operations: same bytes.
 */
import type { Random } from '../../actors/world/random.js';
import type { AppendFile, Disk } from './disk.js';
import { DiskCrashedError } from './errors.js';

export interface CrashFaults {
  /** Chance that some of a file's unsynced writes survive a crash whole. Default 0.5. */
  readonly keepUnsyncedProbability: number;
  /** Chance that the write after the surviving ones survives in part (torn). Default 0.5. */
  readonly tornWriteProbability: number;
  /** Chance that a torn write's lost part is left as zeros rather than cut. Default 0.2. */
  readonly zeroFillProbability: number;
}

export interface SimDiskOptions extends CrashFaults {
  /** Chance that a sync lies (resolves without making anything durable). Default 0. */
  readonly lostSyncProbability: number;
  /** Draws lost syncs; required when lostSyncProbability > 0. */
  readonly random: Random | null;
}

export const DEFAULT_CRASH_FAULTS: CrashFaults = {
  keepUnsyncedProbability: 0.5,
  tornWriteProbability: 0.5,
  zeroFillProbability: 0.2,
};

export interface SimDiskStats {
  appends: number;
  appendedBytes: number;
  /** Calls of AppendFile.sync (including lost ones). */
  syncs: number;
  lostSyncs: number;
  atomicWrites: number;
  crashes: number;
}

/** Bytes are kept as chunks (one per write), so a sync costs O(1), not a copy of the file. */
interface SimFile {
  durable: Uint8Array[];
  unsynced: Uint8Array[];
  /** Bytes in durable and unsynced chunks together. */
  size: number;
}

function sizeOf(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  return n;
}

function normalize(path: string): string {
  return path.split('/').filter((p) => p !== '' && p !== '.').join('/');
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function notFound(op: string, path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, ${op} '${path}'`), { code: 'ENOENT' });
}

export class SimDisk implements Disk {
  readonly options: SimDiskOptions;
  private counters: SimDiskStats;
  private files = new Map<string, SimFile>();
  private dirs = new Set<string>(['']);
  private alive = true;

  constructor(options: Partial<SimDiskOptions> = {}) {
    this.options = { ...DEFAULT_CRASH_FAULTS, lostSyncProbability: 0, random: null, ...options };
    if (this.options.lostSyncProbability > 0 && this.options.random === null) {
      throw new RangeError('SimDisk: lostSyncProbability > 0 needs a random source');
    }
    this.counters = { appends: 0, appendedBytes: 0, syncs: 0, lostSyncs: 0, atomicWrites: 0, crashes: 0 };
  }

  /** Counts of what was asked of the files, shared by every SimDisk on them (across crashes). */
  get stats(): SimDiskStats {
    return this.counters;
  }

  /** Whether this disk's process is still alive (false once `crash` was called on it). */
  get isAlive(): boolean {
    return this.alive;
  }

  private dead(path: string): Promise<never> | null {
    return this.alive ? null : Promise.reject(new DiskCrashedError(path));
  }

  // ---- Disk ----------------------------------------------------------------

  list(dir: string): Promise<string[]> {
    const dead = this.dead(dir);
    if (dead) return dead;
    const d = normalize(dir);
    const names: string[] = [];
    for (const path of this.files.keys()) {
      if (parentOf(path) === d) names.push(path.slice(d === '' ? 0 : d.length + 1));
    }
    return Promise.resolve(names.sort());
  }

  mkdirp(dir: string): Promise<void> {
    const dead = this.dead(dir);
    if (dead) return dead;
    let d = normalize(dir);
    while (d !== '' && !this.dirs.has(d)) {
      this.dirs.add(d);
      d = parentOf(d);
    }
    return Promise.resolve();
  }

  read(path: string): Promise<Uint8Array | null> {
    const dead = this.dead(path);
    if (dead) return dead;
    const f = this.files.get(normalize(path));
    return Promise.resolve(f === undefined ? null : concat([...f.durable, ...f.unsynced]));
  }

  openAppend(path: string): Promise<AppendFile> {
    const dead = this.dead(path);
    if (dead) return dead;
    const p = normalize(path);
    if (!this.dirs.has(parentOf(p))) return Promise.reject(notFound('open', path));
    let file = this.files.get(p);
    if (file === undefined) {
      file = { durable: [], unsynced: [], size: 0 };
      this.files.set(p, file);
    }
    return Promise.resolve(new SimAppendFile(this, p, file));
  }

  writeAtomic(path: string, data: Uint8Array): Promise<void> {
    const dead = this.dead(path);
    if (dead) return dead;
    const p = normalize(path);
    if (!this.dirs.has(parentOf(p))) return Promise.reject(notFound('open', path));
    this.stats.atomicWrites++;
    this.files.set(p, { durable: [data.slice()], unsynced: [], size: data.byteLength });
    return Promise.resolve();
  }

  truncate(path: string, length: number): Promise<void> {
    const dead = this.dead(path);
    if (dead) return dead;
    const f = this.files.get(normalize(path));
    if (f === undefined) return Promise.reject(notFound('truncate', path));
    const all = concat([...f.durable, ...f.unsynced]);
    const durable = new Uint8Array(length);
    durable.set(all.subarray(0, Math.min(length, all.byteLength)));
    f.durable = [durable];
    f.size = length;
    f.unsynced = [];
    return Promise.resolve();
  }

  remove(path: string): Promise<void> {
    const dead = this.dead(path);
    if (dead) return dead;
    this.files.delete(normalize(path));
    return Promise.resolve();
  }

  // ---- faults and inspection ---------------------------------------------

  /**
   * A power loss: unsynced writes are lost, kept whole or torn as the fault
   * model says (`faults` overrides the options for this crash). This disk
   * and its handles die; the returned disk (same files, same options) is the
   * one the restarted process uses.
   */
  crash(random: Random, faults: Partial<CrashFaults> = {}): SimDisk {
    if (!this.alive) throw new DiskCrashedError('(crash)');
    const f: CrashFaults = { ...this.options, ...faults };
    this.alive = false;
    this.stats.crashes++;
    for (const path of [...this.files.keys()].sort()) {
      const file = this.files.get(path)!;
      const n = file.unsynced.length;
      if (n === 0) continue;
      const kept = random.chance(f.keepUnsyncedProbability) ? random.int(n + 1) : 0;
      const parts = [...file.durable, ...file.unsynced.slice(0, kept)];
      const torn = file.unsynced[kept];
      if (torn !== undefined && random.chance(f.tornWriteProbability)) {
        const cut = random.int(torn.byteLength);
        parts.push(torn.subarray(0, cut));
        if (random.chance(f.zeroFillProbability)) parts.push(new Uint8Array(torn.byteLength - cut));
      }
      file.durable = parts;
      file.unsynced = [];
      file.size = sizeOf(parts);
    }
    const next = new SimDisk(this.options);
    next.files = this.files;
    next.dirs = this.dirs;
    next.counters = this.counters;
    return next;
  }

  /** Flips one bit of a file (bit rot), in whichever part holds that byte. */
  flipBit(path: string, byteOffset: number, bit = 0): void {
    const f = this.files.get(normalize(path));
    if (f === undefined) throw notFound('flipBit', path);
    let at = byteOffset;
    for (const part of [...f.durable, ...f.unsynced]) {
      if (at < part.byteLength) {
        part[at]! ^= 1 << bit;
        return;
      }
      at -= part.byteLength;
    }
    throw new RangeError(`flipBit: offset ${byteOffset} is beyond the end of ${path}`);
  }

  /** Durable bytes of a file (what a crash keeps for sure), or null. */
  durableBytes(path: string): Uint8Array | null {
    const f = this.files.get(normalize(path));
    return f === undefined ? null : concat(f.durable);
  }

  /** Every file's path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  // ---- for SimAppendFile ---------------------------------------------------

  /** @internal */
  checkAlive(path: string): void {
    if (!this.alive) throw new DiskCrashedError(path);
  }

  /** @internal Whether this sync should lie. */
  drawLostSync(): boolean {
    const { lostSyncProbability, random } = this.options;
    return lostSyncProbability > 0 && random !== null && random.chance(lostSyncProbability);
  }
}

class SimAppendFile implements AppendFile {
  private closed = false;

  constructor(
    private readonly disk: SimDisk,
    private readonly path: string,
    private readonly file: SimFile,
  ) {}

  get size(): number {
    return this.file.size;
  }

  private check(): void {
    this.disk.checkAlive(this.path);
    if (this.closed) throw new Error(`SimDisk: ${this.path} is closed`);
  }

  append(data: Uint8Array): Promise<void> {
    try {
      this.check();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (data.byteLength > 0) this.file.unsynced.push(data.slice());
    this.file.size += data.byteLength;
    this.disk.stats.appends++;
    this.disk.stats.appendedBytes += data.byteLength;
    return Promise.resolve();
  }

  sync(): Promise<void> {
    try {
      this.check();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.disk.stats.syncs++;
    if (this.disk.drawLostSync()) {
      this.disk.stats.lostSyncs++;
      return Promise.resolve();
    }
    for (const w of this.file.unsynced) this.file.durable.push(w);
    this.file.unsynced = [];
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
