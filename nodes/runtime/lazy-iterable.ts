/**
 * An async iterable whose source is opened on the first next(): `logs()`
 * must hand back an iterable at once, while finding the container takes a
 * round trip. A failure to open rejects that first next(); return() before
 * the source is open never opens it.
 */
export function lazyIterable<T>(open: () => Promise<AsyncIterator<T>>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let source: Promise<AsyncIterator<T>> | undefined;
      let returned = false;
      return {
        async next(): Promise<IteratorResult<T>> {
          if (returned) return { done: true, value: undefined };
          source ??= open();
          const it = await source;
          // return() may have come while the source was opening.
          if (returned) {
            await it.return?.();
            return { done: true, value: undefined };
          }
          return it.next();
        },
        async return(): Promise<IteratorResult<T>> {
          returned = true;
          if (source !== undefined) {
            const it = await source.catch(() => undefined);
            await it?.return?.();
          }
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/** An async iterator over items already at hand. */
export function iteratorOf<T>(items: readonly T[]): AsyncIterator<T> {
  let i = 0;
  return {
    next: () => Promise.resolve(i < items.length ? { done: false, value: items[i++] as T } : { done: true, value: undefined }),
    return: () => {
      i = items.length;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}
