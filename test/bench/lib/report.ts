// How a benchmark speaks: figures as one JSON line each on stdout, everything
// else (progress, details) on stderr. Nothing else may write to stdout.

export type Better = 'higher' | 'lower';

export interface Figure {
  /** `<suite>.<figure>`, e.g. `actors.local_tell_per_s`. */
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
  /** A peer measured in the same run, for comparison. */
  readonly peer?: { readonly name: string; readonly value: number; readonly better: Better };
  /** Extra details kept in test/bench/out/ (not printed on stdout). */
  readonly details?: Record<string, unknown>;
}

/** The figures printed so far in this process, in order. */
export const emitted: Figure[] = [];

/** Rounds for display: integers above 100, else 3 significant digits. */
export function tidy(v: number): number {
  if (!Number.isFinite(v)) return v;
  if (Math.abs(v) >= 100) return Math.round(v);
  return Number(v.toPrecision(3));
}

/** The stdout line of a figure, with ratio = value / peer (higher is better) or peer / value (lower). */
export function figureLine(f: Figure): string {
  const o: Record<string, unknown> = { bench: f.bench, value: tidy(f.value), unit: f.unit };
  if (f.peer) {
    o['peer'] = f.peer.name;
    o['peer_value'] = tidy(f.peer.value);
    o['ratio'] = ratioOf(f);
    o['better'] = f.peer.better;
  }
  return JSON.stringify(o);
}

export function ratioOf(f: Figure): number | null {
  if (!f.peer) return null;
  const r = f.peer.better === 'higher' ? f.value / f.peer.value : f.peer.value / f.value;
  return Number.isFinite(r) ? Math.round(r * 100) / 100 : null;
}

export function emit(f: Figure): void {
  emitted.push(f);
  process.stdout.write(figureLine(f) + '\n');
}

/** Progress for humans, on stderr. */
export function progress(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The p-quantile (0..1) of xs by the nearest-rank method. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
}
