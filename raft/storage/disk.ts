/**
 * The file system as the WAL sees it: a narrow interface with a real
 * implementation (node:fs, node-disk.ts) and a simulated one that can lose
 * unsynced writes and tear the last write on a crash (sim-disk.ts). Paths are
 * relative to the disk's root and use '/'.
 */
export interface Disk {
  /** Names of the regular files in `dir` (not recursive, no directories), sorted. [] if it does not exist. */
  list(dir: string): Promise<string[]>;
  /** Creates `dir` and its parents if missing; durable when it resolves. */
  mkdirp(dir: string): Promise<void>;
  /** The whole file (synced bytes and not), or null if it does not exist. */
  read(path: string): Promise<Uint8Array | null>;
  /**
   * Opens (creating if needed) a file for appending at its end. A file created
   * here is durable in its directory once its first `sync()` resolves.
   */
  openAppend(path: string): Promise<AppendFile>;
  /** Writes a whole new file, atomically: temp file, fsync, rename, fsync of the directory. */
  writeAtomic(path: string, data: Uint8Array): Promise<void>;
  /** Cuts a file to `length` bytes and makes that durable. */
  truncate(path: string, length: number): Promise<void>;
  /** Deletes a file, durably (fsync of the directory). No error if it does not exist. */
  remove(path: string): Promise<void>;
}

export interface AppendFile {
  /** Bytes in the file, synced or not. */
  readonly size: number;
  /** Appends all of `data`. The caller may reuse `data` once this resolves. */
  append(data: Uint8Array): Promise<void>;
  /** Makes every appended byte durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}
