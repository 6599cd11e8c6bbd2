/**
 * A linearizability checker for a single register (Wing & Gong's search with
 * memoization, as in Knossos and Porcupine): is there an order of the
 * operations, consistent with real time, in which every read returns the
 * latest write?
 *
 * Operations that failed for sure are left out of the history. A write whose
 * outcome is unknown (a timeout) may or may not have happened: it has no
 * completion time (Infinity), and the search may linearize it anywhere after
 * its invocation, or never.
 */

export type RegisterOp =
  | { readonly kind: 'write'; readonly value: string; readonly invokeMs: number; readonly completeMs: number }
  | { readonly kind: 'read'; readonly value: string | null; readonly invokeMs: number; readonly completeMs: number };

export type LinearizabilityResult =
  | { readonly ok: true; readonly order: readonly number[] }
  | { readonly ok: false; readonly reason: string; readonly longestPrefix: readonly number[] };

/** Checks a register history starting from `initial`. Bounded by `maxStates` visited. */
export function checkRegister(history: readonly RegisterOp[], initial: string | null, maxStates = 2_000_000): LinearizabilityResult {
  const n = history.length;
  const done = new Uint8Array(n);
  const seen = new Set<string>();
  const order: number[] = [];
  let best: number[] = [];
  let states = 0;
  // Unknown writes need not happen: the search ends when every op that did
  // complete is linearized.
  const mustCount = history.filter((op) => op.completeMs !== Number.POSITIVE_INFINITY).length;

  const search = (value: string | null, mustDone: number): boolean => {
    if (mustDone === mustCount) return true;
    if (++states > maxStates) throw new Error(`linearizability search gave up after ${maxStates} states`);
    const key = `${value}|${done.join('')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    // An op may go next only if it was invoked before every pending op completed.
    let minComplete = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) if (!done[i] && history[i]!.completeMs < minComplete) minComplete = history[i]!.completeMs;
    for (let i = 0; i < n; i++) {
      const op = history[i]!;
      if (done[i] || op.invokeMs > minComplete) continue;
      if (op.kind === 'read' && op.value !== value) continue;
      done[i] = 1;
      order.push(i);
      if (order.length > best.length) best = [...order];
      const next = op.kind === 'write' ? op.value : value;
      if (search(next, mustDone + (op.completeMs === Number.POSITIVE_INFINITY ? 0 : 1))) return true;
      order.pop();
      done[i] = 0;
    }
    return false;
  };

  if (search(initial, 0)) return { ok: true, order: [...order] };
  return { ok: false, reason: `no linearization of ${n} operations; the longest valid prefix has ${best.length}`, longestPrefix: best };
}
