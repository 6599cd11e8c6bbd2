import type { Clock } from '../../actors/index.js';

export type DeadlineOutcome<T> = { readonly type: 'done'; readonly value: T } | { readonly type: 'timedOut' };

/**
 * Runs `work` with a time limit on `clock`: past `timeoutMs` the work's
 * signal is aborted and the outcome is `timedOut` (whatever the work does
 * afterwards is ignored). A rejection of the work within the limit rejects.
 */
export function withDeadline<T>(clock: Clock, timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<DeadlineOutcome<T>> {
  const controller = new AbortController();
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = clock.setTimer(timeoutMs, () => {
      if (settled) return;
      settled = true;
      controller.abort();
      resolve({ type: 'timedOut' });
    });
    work(controller.signal).then(
      (value) => {
        if (settled) return;
        settled = true;
        clock.cancelTimer(timer);
        resolve({ type: 'done', value });
      },
      (e: unknown) => {
        if (settled) return;
        settled = true;
        clock.cancelTimer(timer);
        reject(e);
      },
    );
  });
}
