/** What a LineFeed tells its producer. */
export interface LineFeedHooks {
  /** The buffer reached its limit: stop producing (e.g. pause a stream). */
  readonly pause?: () => void;
  /** The consumer drained the buffer: produce again. */
  readonly resume?: () => void;
  /** The consumer stopped (return() or end of iteration): release the source. */
  readonly close: () => void;
}

/** Lines a LineFeed buffers for a slow consumer before it asks its producer to pause. */
export const LINE_FEED_BUFFERED_LINES_MAX = 1000;

/**
 * A push source of lines (a followed log stream) as an async iterator whose
 * `return()` ends it at once, even while the consumer waits for a line that
 * may never come: an async generator cannot do that, since its return() waits
 * for the generator to reach a `yield`. The buffer is bounded: past
 * `bufferedLinesMax` lines it asks the producer to pause until drained.
 */
export class LineFeed implements AsyncIterableIterator<string> {
  private readonly buffered: string[] = [];
  private waiter: { resolve: (r: IteratorResult<string>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  private closed = false;
  private paused = false;

  constructor(
    private readonly hooks: LineFeedHooks,
    private readonly bufferedLinesMax: number = LINE_FEED_BUFFERED_LINES_MAX,
  ) {}

  /** The producer hands over a line (ignored once the consumer has stopped). */
  push(line: string): void {
    if (this.closed || this.ended) return;
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve({ done: false, value: line });
      return;
    }
    this.buffered.push(line);
    if (!this.paused && this.buffered.length >= this.bufferedLinesMax) {
      this.paused = true;
      this.hooks.pause?.();
    }
  }

  /** No more lines: the consumer gets what is buffered, then the end. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.settleWaiter();
  }

  /** The source failed: the consumer gets what is buffered, then `error`. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = { error };
    this.settleWaiter();
  }

  next(): Promise<IteratorResult<string>> {
    const line = this.buffered.shift();
    if (line !== undefined) {
      if (this.paused && this.buffered.length === 0) {
        this.paused = false;
        this.hooks.resume?.();
      }
      return Promise.resolve({ done: false, value: line });
    }
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    if (this.ended) return this.finish();
    if (this.waiter !== undefined) return Promise.reject(new Error('LineFeed: next() called while another next() is pending'));
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<string>> {
    if (!this.closed) {
      this.closed = true;
      this.buffered.length = 0;
      this.hooks.close();
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter?.resolve({ done: true, value: undefined });
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    return this;
  }

  private settleWaiter(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    this.finish().then(waiter.resolve, waiter.reject);
  }

  /** The end of iteration: releases the source once, then reports the end or the failure. */
  private finish(): Promise<IteratorResult<string>> {
    if (!this.closed) {
      this.closed = true;
      this.hooks.close();
    }
    const failure = this.failure;
    this.failure = undefined;
    return failure === undefined ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(failure.error);
  }
}
