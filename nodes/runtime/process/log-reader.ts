import { open, type FileHandle } from 'node:fs/promises';
import type { Clock, TimerHandle } from '../../../actors/index.js';
import { LineSplitter } from '../line-splitter.js';

/** How much of the log file one read takes. */
const READ_CHUNK_BYTES = 64 * 1024;

export interface LogFileReaderOptions {
  readonly path: string;
  /** Keep reading what is appended (polling every `pollMs`) until return(), or until `hasEnded`. */
  readonly follow: boolean;
  /** Start at the last N lines. */
  readonly tailLines?: number;
  readonly clock: Clock;
  readonly pollMs: number;
  /**
   * While following: true once nothing more will be written (the container
   * exited). The reader then reads what is left and ends, as a docker log
   * stream ends with its container.
   */
  readonly hasEnded?: () => Promise<boolean>;
  /** Called once when the reader is done: at its end or on return(). */
  readonly onDone?: () => void;
}

/**
 * A container's log file, line by line (without the '\n'). A file not
 * written yet reads as empty. Implemented as an iterator, not an async
 * generator, so that return() ends a follow at once, even between polls.
 */
export class LogFileReader implements AsyncIterableIterator<string> {
  private readonly splitter = new LineSplitter();
  private readonly lines: string[] = [];
  private offset = 0;
  private started = false;
  private atEnd = false;
  private closed = false;
  private doneTold = false;
  private sleeping: { readonly timer: TimerHandle; readonly wake: () => void } | undefined;

  constructor(private readonly options: LogFileReaderOptions) {}

  async next(): Promise<IteratorResult<string>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const line = this.lines.shift();
      if (line !== undefined) return { done: false, value: line };
      if (this.atEnd) return { done: true, value: undefined };
      if (!this.started) {
        this.started = true;
        if (this.options.tailLines !== undefined) this.offset = await tailStartOffset(this.options.path, this.options.tailLines);
      }
      if ((await this.readMore()) > 0) continue;
      // At the end of what is written.
      if (!this.options.follow) {
        this.finish();
        continue;
      }
      if (this.options.hasEnded !== undefined && (await this.options.hasEnded())) {
        // What the process wrote before it ended may have landed after the last read.
        if ((await this.readMore()) === 0) this.finish();
        continue;
      }
      await this.sleep();
    }
  }

  return(): Promise<IteratorResult<string>> {
    this.closed = true;
    this.done();
    this.lines.length = 0;
    const sleeping = this.sleeping;
    if (sleeping !== undefined) {
      this.options.clock.cancelTimer(sleeping.timer);
      sleeping.wake();
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    return this;
  }

  private finish(): void {
    this.lines.push(...this.splitter.flush());
    this.atEnd = true;
    this.done();
  }

  private done(): void {
    if (this.doneTold) return;
    this.doneTold = true;
    this.options.onDone?.();
  }

  /** Reads one chunk past `offset`; the number of bytes read (0 at the end or when there is no file). */
  private async readMore(): Promise<number> {
    const file = await openIfExists(this.options.path);
    if (file === undefined) return 0;
    try {
      const buffer = Buffer.alloc(READ_CHUNK_BYTES);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead > 0) {
        this.offset += bytesRead;
        this.lines.push(...this.splitter.push(buffer.subarray(0, bytesRead)));
      }
      return bytesRead;
    } finally {
      await file.close();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.sleeping = undefined;
        resolve();
      };
      this.sleeping = { timer: this.options.clock.setTimer(this.options.pollMs, wake), wake };
    });
  }
}

/**
 * The offset where the last `lines` lines of the file begin (a final '\n'
 * ends the last line; it does not start an empty one). Reads backwards from
 * the end, `blockBytes` at a time, so a long log costs only its tail.
 */
export async function tailStartOffset(path: string, lines: number, blockBytes = READ_CHUNK_BYTES): Promise<number> {
  const file = await openIfExists(path);
  if (file === undefined) return 0;
  try {
    const size = (await file.stat()).size;
    if (lines <= 0) return size;
    let end = size;
    let newlines = 0;
    let skipFinal = true;
    while (end > 0) {
      const start = Math.max(0, end - blockBytes);
      const buffer = Buffer.alloc(end - start);
      await file.read(buffer, 0, buffer.length, start);
      for (let i = buffer.length - 1; i >= 0; i--) {
        if (buffer[i] !== 0x0a) {
          skipFinal = false;
          continue;
        }
        if (skipFinal) {
          skipFinal = false;
          continue;
        }
        if (++newlines === lines) return start + i + 1;
      }
      end = start;
    }
    return 0;
  } finally {
    await file.close();
  }
}

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
