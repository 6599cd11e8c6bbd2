import { mkdir, open, readFile, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppendFile, Disk } from './disk.js';

/**
 * The real Disk: node:fs/promises under one root directory. An adapter with
 * no logic worth simulating; its twin is sim-disk.ts.
 *
 * Durability: `sync()` is fsync (`filehandle.sync()`); a new file's
 * directory entry is made durable by an fsync of the directory on the file's
 * first sync; `writeAtomic`, `truncate`, `remove` and `mkdirp` fsync what
 * they change before they resolve.
 */
export class NodeDisk implements Disk {
  /** One writeAtomic at a time per path: they share the temp file name. */
  private readonly atomicWrites = new Map<string, Promise<void>>();

  constructor(readonly root: string) {}

  private abs(path: string): string {
    return join(this.root, path);
  }

  async list(dir: string): Promise<string[]> {
    try {
      const entries = await readdir(this.abs(dir), { withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  async mkdirp(dir: string): Promise<void> {
    const first = await mkdir(this.abs(dir), { recursive: true });
    if (first === undefined) return;
    // Every directory from the first one created down to `dir` is new: make
    // each entry durable in its parent.
    let d = this.abs(dir);
    for (;;) {
      await syncDir(dirname(d));
      if (d === first || dirname(d) === d) break;
      d = dirname(d);
    }
  }

  async read(path: string): Promise<Uint8Array | null> {
    try {
      const buf = await readFile(this.abs(path));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async openAppend(path: string): Promise<AppendFile> {
    const abs = this.abs(path);
    const fh = await open(abs, 'a');
    try {
      const { size } = await fh.stat();
      // A file that is empty may be new: sync its directory on the first sync
      // (harmless for an old empty file, and cheaper than finding out).
      return new NodeAppendFile(fh, size, size === 0 ? dirname(abs) : null);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  writeAtomic(path: string, data: Uint8Array): Promise<void> {
    const before = this.atomicWrites.get(path) ?? Promise.resolve();
    const done = before.then(() => this.writeAtomicNow(path, data));
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.atomicWrites.set(path, settled);
    void settled.then(() => {
      if (this.atomicWrites.get(path) === settled) this.atomicWrites.delete(path);
    });
    return done;
  }

  private async writeAtomicNow(path: string, data: Uint8Array): Promise<void> {
    const abs = this.abs(path);
    const tmp = `${abs}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await writeAll(fh, data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, abs);
    await syncDir(dirname(abs));
  }

  async truncate(path: string, length: number): Promise<void> {
    const fh = await open(this.abs(path), 'r+');
    try {
      await fh.truncate(length);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async remove(path: string): Promise<void> {
    const abs = this.abs(path);
    await rm(abs, { force: true });
    await syncDir(dirname(abs));
  }
}

class NodeAppendFile implements AppendFile {
  constructor(
    private readonly fh: FileHandle,
    private bytes: number,
    /** The directory to fsync on the first sync, if the file may be new. */
    private dirToSync: string | null,
  ) {}

  get size(): number {
    return this.bytes;
  }

  async append(data: Uint8Array): Promise<void> {
    await writeAll(this.fh, data);
    this.bytes += data.byteLength;
  }

  async sync(): Promise<void> {
    await this.fh.sync();
    if (this.dirToSync !== null) {
      await syncDir(this.dirToSync);
      this.dirToSync = null;
    }
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Writes all of `data` (fs writes may be short). The file is in append mode or at its start. */
async function writeAll(fh: FileHandle, data: Uint8Array): Promise<void> {
  let at = 0;
  while (at < data.byteLength) {
    const { bytesWritten } = await fh.write(data, at, data.byteLength - at);
    at += bytesWritten;
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
