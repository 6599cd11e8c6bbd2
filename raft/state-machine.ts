import type { Entry } from './core/types.js';

/**
 * What a replica applies committed entries to. Apply must be deterministic:
 * every replica applies the same entries in the same order and must reach
 * the same state (no clocks, no randomness: decide those before proposing).
 */
export interface StateMachine {
  /** Applies one committed normal entry; the result goes back to its proposer. */
  apply(entry: Entry): unknown;
  /** The whole state, for a snapshot at the last applied index. */
  snapshot(): Uint8Array;
  /** Replaces the whole state with a snapshot's. */
  restore(data: Uint8Array): void;
}
