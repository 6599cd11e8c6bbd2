// Resource quantities: `500m` and `2` CPUs, `128Mi` and `1Gi` bytes, `110` pods.
//
// Canonical units, all integers:
//   cpu    -> millicores (`500m` -> 500, `1.5` -> 1500)
//   memory -> bytes      (`128Mi` -> 134217728, `100M` -> 100000000)
//   count  -> units      (`110` -> 110)
// A fraction of the canonical unit rounds up (`0.1m` CPU -> 1), as in
// Kubernetes. Arithmetic is exact (bigint) until the final integer, which must
// be a safe integer (below 2^53: 8 PiB of memory, 9e12 cores).
//
// Grammar (Kubernetes's, less the footguns):
//   quantity := number [suffix]
//   number   := digits | digits '.' digits? | '.' digits
//   suffix   := binarySI | decimalSI | ('e' | 'E') ['+' | '-'] digits
//   binarySI := Ki | Mi | Gi | Ti | Pi | Ei      (memory and counts only)
//   decimalSI:= n | u | m | k | M | G | T | P | E  (n, u, m not for memory:
//               `128m` is 0.128 bytes, almost always a typo for 128M or 128Mi)
// Negative quantities are refused: no resource Drover counts can be negative.

import { QuantityError } from './errors.js';
import type { Result } from './result.js';
import { err, ok } from './result.js';
import type { Quantity } from './types/meta.js';

/** What a quantity measures, which fixes its canonical unit. */
export type QuantityKind = 'cpu' | 'memory' | 'count';

const RULES: Record<QuantityKind, string> = {
  cpu: 'must be a CPU quantity: cores (2, 1.5, 1e3) or millicores (500m)',
  memory: 'must be a memory quantity: bytes (1e9, 1048576) or with a suffix (128Mi, 1Gi, 100M, 512k)',
  count: 'must be a count (110, 1k)',
};

/** The canonical unit per unit written without a suffix: CPU counts in millicores. */
const CANONICAL_PER_UNIT: Record<QuantityKind, bigint> = { cpu: 1000n, memory: 1n, count: 1n };

const BINARY_SUFFIXES: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
/** Decimal suffixes as powers of ten. */
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Bounds the size of the bigints an exponent can ask for. */
const MAX_EXPONENT = 40;

const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/**
 * Parses a quantity into its kind's canonical unit (see the top of this file).
 * `field` names where the value came from, for the error: a field path such as
 * `spec.containers[0].resources.limits.cpu`, or by default the kind.
 */
export function parseQuantity(value: unknown, kind: QuantityKind, field: string = kind): Result<number, QuantityError> {
  const fail = (rule: string): Result<number, QuantityError> => err(new QuantityError(field, value, rule));
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail(RULES[kind]);
    if (value < 0) return fail('must not be negative');
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
    if (text.startsWith('-')) return fail('must not be negative');
    if (text.startsWith('+')) text = text.slice(1);
  } else {
    return fail(RULES[kind]);
  }

  const match = QUANTITY.exec(text);
  if (match === null) return fail(RULES[kind]);
  const digits = match[1] ?? '';
  const suffix = match[2] ?? '';

  // value = mantissa / 10^scale
  const [whole = '', fraction = ''] = digits.split('.');
  let numerator = BigInt(whole + fraction || '0') * CANONICAL_PER_UNIT[kind];
  let denominator = 10n ** BigInt(fraction.length);

  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) {
    if (kind === 'cpu') return fail(`${RULES.cpu}; binary suffixes like ${suffix} are for bytes`);
    numerator *= binary;
  } else {
    let exponent: number;
    const decimal = DECIMAL_SUFFIXES[suffix];
    if (decimal !== undefined) {
      if (kind === 'memory' && decimal < 0) {
        return fail(`${RULES.memory}; '${suffix}' means 1e${decimal} bytes (did you mean M or Mi?)`);
      }
      exponent = decimal;
    } else {
      exponent = Number(suffix.slice(1)); // e3, E-2, e+21
      if (Math.abs(exponent) > MAX_EXPONENT) return fail(`${RULES[kind]}; the exponent is out of range`);
    }
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }

  const canonical = (numerator + denominator - 1n) / denominator; // round up
  if (canonical > BigInt(Number.MAX_SAFE_INTEGER)) return fail('is too large');
  return ok(Number(canonical));
}

/** CPU in millicores of a quantity that validation has admitted. Throws QuantityError if it is invalid (a bug). */
export function cpuMillisOf(quantity: Quantity): number {
  return unwrap(parseQuantity(quantity, 'cpu'));
}

/** Memory in bytes of a quantity that validation has admitted. Throws QuantityError if it is invalid (a bug). */
export function memoryBytesOf(quantity: Quantity): number {
  return unwrap(parseQuantity(quantity, 'memory'));
}

/** A count (pods) of a quantity that validation has admitted. Throws QuantityError if it is invalid (a bug). */
export function countOf(quantity: Quantity): number {
  return unwrap(parseQuantity(quantity, 'count'));
}

function unwrap(result: Result<number, QuantityError>): number {
  if (!result.ok) throw result.error;
  return result.value;
}

const BINARY_FORMAT: readonly (readonly [string, number])[] = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];
const DECIMAL_FORMAT: readonly (readonly [string, number])[] = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
];

/**
 * Formats a canonical amount back into a quantity that parses to the same
 * amount: CPU as whole cores (`2`) or millicores (`1500m`); memory with the
 * largest binary suffix that divides it (`128Mi`), else the largest decimal
 * one (`100M`), else bytes; counts as integers.
 */
export function formatQuantity(canonical: number, kind: QuantityKind): string {
  if (!Number.isSafeInteger(canonical) || canonical < 0) {
    throw new QuantityError(kind, canonical, 'a canonical amount must be a non-negative safe integer');
  }
  if (kind === 'cpu') return canonical % 1000 === 0 ? String(canonical / 1000) : `${canonical}m`;
  if (kind === 'count' || canonical === 0) return String(canonical);
  for (const table of [BINARY_FORMAT, DECIMAL_FORMAT]) {
    for (const [suffix, size] of table) {
      if (canonical % size === 0) return `${canonical / size}${suffix}`;
    }
  }
  return String(canonical);
}
