import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { containersDir, stateFilePath } from './paths.js';
import { decodeStateFile, encodeStateFile, type ProcessContainerRecord } from './state-file.js';

let tmpCounter = 0;

/**
 * The state files on disk. Writes are atomic (a temporary file renamed over
 * the old one), so a reader never sees half a file, and the updates of one
 * container are applied one after another, each on what the previous left.
 * A file that does not decode is skipped: the runtime cannot manage a
 * container it cannot read (a later version's, or one edited by hand).
 */
export class StateStore {
  /** The tail of each container's update chain. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly stateDir: string) {}

  async read(id: string): Promise<ProcessContainerRecord | undefined> {
    await this.chains.get(id);
    return this.readFile(id);
  }

  /** Every container with a readable state file. */
  async readAll(): Promise<ProcessContainerRecord[]> {
    let names: string[];
    try {
      names = await readdir(containersDir(this.stateDir));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
    ids.sort();
    const records = await Promise.all(ids.map((id) => this.read(id)));
    return records.filter((r): r is ProcessContainerRecord => r !== undefined);
  }

  /** Writes a new container's state file. */
  create(record: ProcessContainerRecord): Promise<void> {
    return this.enqueue(record.id, () => this.writeFile(record));
  }

  /**
   * Replaces a container's record by `change(current)`; `change` returning
   * `current` itself writes nothing. Resolves to the record now on disk, or
   * undefined when there is none.
   */
  update(id: string, change: (current: ProcessContainerRecord) => ProcessContainerRecord): Promise<ProcessContainerRecord | undefined> {
    return this.enqueue(id, async () => {
      const current = await this.readFile(id);
      if (current === undefined) return undefined;
      const next = change(current);
      if (next !== current) await this.writeFile(next);
      return next;
    });
  }

  delete(id: string): Promise<void> {
    return this.enqueue(id, () => rm(stateFilePath(this.stateDir, id), { force: true }));
  }

  private enqueue<T>(id: string, op: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const run = previous.then(op, op);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return run;
  }

  private async readFile(id: string): Promise<ProcessContainerRecord | undefined> {
    let text: string;
    try {
      text = await readFile(stateFilePath(this.stateDir, id), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const parsed = decodeStateFile(text);
    return parsed.type === 'ok' && parsed.record.id === id ? parsed.record : undefined;
  }

  private async writeFile(record: ProcessContainerRecord): Promise<void> {
    await mkdir(containersDir(this.stateDir), { recursive: true });
    const path = stateFilePath(this.stateDir, record.id);
    // Unique per write: two runtimes over one dir (an agent and its successor) may write at once.
    const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
    await writeFile(tmp, encodeStateFile(record));
    await rename(tmp, path);
  }
}
