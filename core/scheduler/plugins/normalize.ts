// Shared ways to map raw scores into [0, 100], in place.

/** Highest raw score -> 100, proportionally; all zero stays zero. */
export function normalizeByMax(scores: Float64Array, count: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) return;
  for (let i = 0; i < count; i++) scores[i] = (scores[i]! * 100) / max;
}

/** Lowest raw score (e.g. fewest pods) -> 100, highest -> 0; all equal -> all 100. */
export function normalizeReversed(scores: Float64Array, count: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) if (scores[i]! > max) max = scores[i]!;
  if (max === 0) {
    scores.fill(100, 0, count);
    return;
  }
  for (let i = 0; i < count; i++) scores[i] = ((max - scores[i]!) * 100) / max;
}

/** Lowest -> 0, highest -> 100, for raw scores that may be negative; all equal -> all 0. */
export function normalizeMinMax(scores: Float64Array, count: number): void {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const s = scores[i]!;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  if (!(max > min)) {
    scores.fill(0, 0, count);
    return;
  }
  for (let i = 0; i < count; i++) scores[i] = ((scores[i]! - min) * 100) / (max - min);
}
