import { describe, expect, it } from 'vitest';
import { countOf, cpuMillisOf, formatQuantity, memoryBytesOf, parseQuantity, QuantityError } from '../../../../core/api/index.js';
import type { QuantityKind } from '../../../../core/api/index.js';

const Ki = 1024;
const Mi = 1024 * Ki;
const Gi = 1024 * Mi;

describe('parseQuantity into canonical units', () => {
  it.each<[string | number, QuantityKind, number]>([
    // CPU -> millicores
    ['500m', 'cpu', 500],
    ['2', 'cpu', 2000],
    [2, 'cpu', 2000],
    ['1.5', 'cpu', 1500],
    [0.25, 'cpu', 250],
    ['.5', 'cpu', 500],
    ['1.', 'cpu', 1000],
    ['1e3', 'cpu', 1_000_000],
    ['1E-3', 'cpu', 1],
    ['100u', 'cpu', 1], // a fraction of a millicore rounds up
    ['0.1m', 'cpu', 1],
    ['0', 'cpu', 0],
    ['2k', 'cpu', 2_000_000],
    [' 250m ', 'cpu', 250],
    ['+1', 'cpu', 1000],
    // memory -> bytes
    ['128Mi', 'memory', 128 * Mi],
    ['1Gi', 'memory', Gi],
    ['1.5Gi', 'memory', 1.5 * Gi],
    ['100M', 'memory', 100_000_000],
    ['512k', 'memory', 512_000],
    ['1e3', 'memory', 1000],
    ['1e9', 'memory', 1e9],
    ['1.5e3', 'memory', 1500],
    [1073741824, 'memory', Gi],
    ['1Ki', 'memory', 1024],
    ['4Ti', 'memory', 4 * 1024 * Gi],
    ['0.5', 'memory', 1],
    ['1P', 'memory', 1e15],
    // counts
    ['110', 'count', 110],
    [110, 'count', 110],
    ['1k', 'count', 1000],
  ])('%j as %s -> %d', (value, kind, expected) => {
    expect(parseQuantity(value, kind)).toEqual({ ok: true, value: expected });
  });

  it.each<[unknown, QuantityKind, string]>([
    ['5x', 'cpu', 'must be a CPU quantity'],
    ['', 'cpu', 'must be a CPU quantity'],
    ['m', 'cpu', 'must be a CPU quantity'],
    ['1.2.3', 'cpu', 'must be a CPU quantity'],
    ['1Gi', 'cpu', 'must be a CPU quantity: cores (2, 1.5, 1e3) or millicores (500m); binary suffixes like Gi are for bytes'],
    ['-1', 'cpu', 'must not be negative'],
    [-0.5, 'cpu', 'must not be negative'],
    [Number.NaN, 'cpu', 'must be a CPU quantity'],
    [true, 'cpu', 'must be a CPU quantity'],
    ['128m', 'memory', "must be a memory quantity: bytes (1e9, 1048576) or with a suffix (128Mi, 1Gi, 100M, 512k); 'm' means 1e-3 bytes (did you mean M or Mi?)"],
    ['128MB', 'memory', 'must be a memory quantity'],
    ['1 Gi', 'memory', 'must be a memory quantity'],
    ['1e99', 'memory', 'must be a memory quantity: bytes (1e9, 1048576) or with a suffix (128Mi, 1Gi, 100M, 512k); the exponent is out of range'],
    ['10Ei', 'memory', 'is too large'],
    ['many', 'count', 'must be a count'],
  ])('%j as %s fails: %s', (value, kind, rule) => {
    const result = parseQuantity(value, kind, 'spec.containers[0].resources.limits.' + kind);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(QuantityError);
    expect(result.error.rule.startsWith(rule), result.error.rule).toBe(true);
    // The message names the field and the value.
    expect(result.error.message).toBe(`spec.containers[0].resources.limits.${kind}: ${result.error.rule} (got ${JSON.stringify(value)})`);
    expect(result.error.field).toBe(`spec.containers[0].resources.limits.${kind}`);
    expect(result.error.value).toBe(value);
  });

  it('names the kind when no field is given', () => {
    const result = parseQuantity('lots', 'memory');
    expect(result.ok ? '' : result.error.message).toMatch(/^memory: must be a memory quantity/);
  });
});

describe('the throwing helpers, for quantities validation has admitted', () => {
  it('parse', () => {
    expect(cpuMillisOf('250m')).toBe(250);
    expect(memoryBytesOf('64Mi')).toBe(64 * Mi);
    expect(countOf('110')).toBe(110);
  });

  it('throw a QuantityError on an invalid quantity (a bug upstream)', () => {
    expect(() => cpuMillisOf('fast')).toThrow(QuantityError);
    expect(() => memoryBytesOf('128m')).toThrow(/did you mean M or Mi/);
  });
});

describe('formatQuantity', () => {
  it.each<[number, QuantityKind, string]>([
    [500, 'cpu', '500m'],
    [2000, 'cpu', '2'],
    [1500, 'cpu', '1500m'],
    [0, 'cpu', '0'],
    [128 * Mi, 'memory', '128Mi'],
    [Gi, 'memory', '1Gi'],
    [1.5 * Gi, 'memory', '1536Mi'],
    [100_000_000, 'memory', '100M'],
    [1000, 'memory', '1k'],
    [1536, 'memory', '1536'],
    [1234567, 'memory', '1234567'],
    [0, 'memory', '0'],
    [110, 'count', '110'],
  ])('%d %s -> %s', (canonical, kind, expected) => {
    expect(formatQuantity(canonical, kind)).toBe(expected);
    // And back again.
    expect(parseQuantity(expected, kind)).toEqual({ ok: true, value: canonical });
  });

  it('refuses amounts that are not canonical', () => {
    expect(() => formatQuantity(1.5, 'cpu')).toThrow(QuantityError);
    expect(() => formatQuantity(-1, 'memory')).toThrow(QuantityError);
  });
});
