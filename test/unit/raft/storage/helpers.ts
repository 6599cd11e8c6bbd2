import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry, HardState, Snapshot } from '../../../../raft/core/types.js';
import type { AppendFile, Disk } from '../../../../raft/storage/disk.js';

const enc = new TextEncoder();

/** One entry whose data names it, so overwritten entries differ from their predecessors. */
export function entry(index: number, term: number, tag = ''): Entry {
  return { index, term, type: 'normal', data: enc.encode(`${tag}${index}@${term}`) };
}

/** Entries [from, to] (inclusive) of one term. */
export function entries(from: number, to: number, term: number, tag = ''): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(entry(i, term, tag));
  return out;
}

export function hs(term: number, vote = '', commit = 0): HardState {
  return { term, vote, commit };
}

export function snapshot(index: number, term: number, body = `state@${index}`): Snapshot {
  return { meta: { index, term, conf: { voters: ['a', 'b', 'c'], learners: [] } }, data: enc.encode(body) };
}

/** Plain objects for comparing entries whatever Uint8Array subclass holds their data. */
export function plain(es: readonly Entry[]): { index: number; term: number; type: string; data: number[] }[] {
  return es.map((e) => ({ index: e.index, term: e.term, type: e.type, data: [...e.data] }));
}

/**
 * A Disk wrapper that counts what the WAL asks of the disk and can hold
 * syncs back (to keep an fsync "in flight" while more saves arrive).
 */
export class CountingDisk implements Disk {
  syncs = 0;
  appends = 0;
  atomicWrites: string[] = [];
  private gate: Promise<void> | null = null;
  /** Awaited before every sync reaches the inner disk. */
  protected beforeSync: () => Promise<void> = () => Promise.resolve();
  private openGate: (() => void) | null = null;

  constructor(private readonly inner: Disk) {}

  /** Until `release()`, every sync waits. */
  holdSyncs(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }

  list(dir: string): Promise<string[]> {
    return this.inner.list(dir);
  }
  mkdirp(dir: string): Promise<void> {
    return this.inner.mkdirp(dir);
  }
  read(path: string): Promise<Uint8Array | null> {
    return this.inner.read(path);
  }
  async openAppend(path: string): Promise<AppendFile> {
    const file = await this.inner.openAppend(path);
    return {
      get size() {
        return file.size;
      },
      append: (data) => {
        this.appends++;
        return file.append(data);
      },
      sync: async () => {
        this.syncs++;
        if (this.gate !== null) await this.gate;
        await this.beforeSync();
        return file.sync();
      },
      close: () => file.close(),
    };
  }
  writeAtomic(path: string, data: Uint8Array): Promise<void> {
    this.atomicWrites.push(path);
    return this.inner.writeAtomic(path, data);
  }
  truncate(path: string, length: number): Promise<void> {
    return this.inner.truncate(path, length);
  }
  remove(path: string): Promise<void> {
    return this.inner.remove(path);
  }
}

/** A fresh temp directory; remove it with `removeTempDir`. */
export function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'drover-wal-'));
}

export function removeTempDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Lets pending microtasks (and the promises they settle) run. */
export async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}
