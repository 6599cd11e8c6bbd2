import type { Logger } from 'pino';
import type { Transport } from '../remote/transport.js';
import type { Clock, Schedule } from './clock.js';
import type { Random } from './random.js';

/**
 * Everything an actor system takes from outside: time, randomness, the
 * host's scheduler, the network and logging. The real world and the
 * simulated one provide the same shape, so the same actor code runs in both.
 */
export interface World {
  readonly kind: 'real' | 'simulated';
  readonly clock: Clock;
  readonly random: Random;
  /** Runs work soon, after the current synchronous run. */
  readonly schedule: Schedule;
  /** Runs work after the host has had a turn (timers, I/O): for long runs of work. */
  readonly yieldToHost: Schedule;
  /** How this system reaches others; null for a system on its own. */
  readonly transport: Transport | null;
  readonly logger: Logger;
  /** Simulation only: appends an event to the run's trace. Null in the real world. */
  readonly trace: ((event: string) => void) | null;
}
