/** Resolves like `promise`, or rejects naming `what` after `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A promise with its resolve function outside. */
export function deferred<T>(): { readonly promise: Promise<T>; readonly resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` every `pollMs` until it gives a value (not undefined), or
 * throws naming `what`, with `describe()`'s account of the last state, after
 * `timeoutMs`. A probe that throws counts as no value yet when
 * `tolerateErrors` (a master in the middle of an election).
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  opts: { timeoutMs: number; pollMs?: number; tolerateErrors?: boolean; describe?: () => Promise<string> },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await probe();
    } catch (e) {
      if (!opts.tolerateErrors) throw e;
      value = undefined;
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const state = opts.describe ? `; ${await opts.describe().catch((e: unknown) => String(e))}` : '';
      throw new Error(`${what}: not within ${opts.timeoutMs} ms${state}`);
    }
    await sleep(opts.pollMs ?? 100);
  }
}
