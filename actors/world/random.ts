/**
 * Randomness as the actors see it: crypto-backed in the real world, a seeded
 * PRNG in simulation. Never Math.random.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** A float in [lo, hi). */
  between(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An independent source derived from this one and a label. */
  fork(label: string): Random;
  /** A random RFC 4122 version-4 UUID. */
  uuid(): string;
}

/** Shared helpers for any source that can produce uniform 32-bit words. */
export abstract class RandomBase implements Random {
  protected abstract nextUint32(): number;
  abstract fork(label: string): Random;

  next(): number {
    return this.nextUint32() / 4294967296;
  }

  int(maxExclusive: number): number {
    if (!(maxExclusive >= 1)) throw new RangeError(`int(maxExclusive): must be >= 1, got ${maxExclusive}`);
    return Math.floor(this.next() * maxExclusive);
  }

  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  uuid(): string {
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i += 4) {
      const w = this.nextUint32();
      b[i] = w & 0xff;
      b[i + 1] = (w >>> 8) & 0xff;
      b[i + 2] = (w >>> 16) & 0xff;
      b[i + 3] = w >>> 24;
    }
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

/** FNV-1a over a string, for deriving seeds from labels. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32: spreads one 32-bit seed into well-mixed state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A deterministic PRNG (sfc32) for simulation. One root seed per run; every
 * subsystem forks its own stream by label, so adding a consumer in one place
 * does not shift the numbers another place sees.
 */
export class SeededRandom extends RandomBase {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    super();
    const st = { s: seed >>> 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  protected nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  fork(label: string): SeededRandom {
    return new SeededRandom((Math.imul(this.seed ^ hashLabel(label), 0x9e3779b1) ^ hashLabel(label + '/')) >>> 0);
  }
}
