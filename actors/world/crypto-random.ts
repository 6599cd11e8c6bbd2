import { randomBytes, randomUUID } from 'node:crypto';
import { RandomBase, type Random } from './random.js';

// The one file that reads the host's randomness.

const POOL_BYTES = 4096;

/** The real world's random source: the OS CSPRNG, read in pooled chunks. */
export class CryptoRandom extends RandomBase {
  private pool = randomBytes(POOL_BYTES);
  private offset = 0;

  protected nextUint32(): number {
    if (this.offset + 4 > POOL_BYTES) {
      this.pool = randomBytes(POOL_BYTES);
      this.offset = 0;
    }
    const w = this.pool.readUInt32LE(this.offset);
    this.offset += 4;
    return w;
  }

  fork(_label: string): Random {
    return new CryptoRandom();
  }

  override uuid(): string {
    return randomUUID();
  }
}
