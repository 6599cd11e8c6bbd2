import type { Logger } from 'pino';
import { createLogger } from '../log.js';
import type { Transport } from '../remote/transport.js';
import { CryptoRandom } from './crypto-random.js';
import { WallClock, scheduleOnHost, yieldToHost } from './wall-clock.js';
import type { World } from './world.js';

export interface RealWorldOptions {
  /** How systems reach each other, e.g. `await NatsTransport.connect(...)`. */
  readonly transport?: Transport | null;
  readonly logger?: Logger;
}

/** The production world: wall clock, crypto randomness, the host event loop. */
export function realWorld(options: RealWorldOptions = {}): World {
  return {
    kind: 'real',
    clock: new WallClock(),
    random: new CryptoRandom(),
    schedule: scheduleOnHost,
    yieldToHost,
    transport: options.transport ?? null,
    logger: options.logger ?? createLogger(),
    trace: null,
  };
}
