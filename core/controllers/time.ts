// Time as reconciles see it: a number of milliseconds passed in by the
// driver (its clock's reading), and ISO timestamps in objects.

/** Soonest of two optional delays; undefined when both are. */
export function soonest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** An ISO 8601 timestamp for `nowMs` (the clock's reading, passed in). */
export function isoOf(nowMs: number): string {
  return new Date(nowMs).toISOString();
}

/** Milliseconds since the epoch of an ISO timestamp; undefined when absent or unparsable. */
export function msOf(timestamp: string | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}
