// The scheduler's errors. All of them are bugs in the caller (a driver that
// assumes a pod twice, a profile naming a plugin nobody registered, a tie
// breaker that answers out of range): expected outcomes, such as a pod that
// fits nowhere, are values (ScheduleResult), never exceptions.

/** Base of every error the scheduler raises on purpose. */
export abstract class SchedulerError extends Error {
  abstract readonly code: string;
}

/** The cache was asked for something its state forbids. */
export class SchedulerCacheError extends SchedulerError {
  override readonly name = 'SchedulerCacheError';
  constructor(
    readonly code: 'POD_ALREADY_PLACED' | 'NODE_NOT_FOUND',
    /** `namespace/name` of the pod. */
    readonly podKey: string,
    readonly nodeName: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A profile does not fit the registry it is built from. */
export class ProfileError extends SchedulerError {
  override readonly name = 'ProfileError';
  constructor(
    readonly code: 'UNKNOWN_PLUGIN' | 'NOT_A_FILTER' | 'NOT_A_SCORE' | 'BAD_WEIGHT',
    readonly profileName: string,
    readonly pluginName: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The tie breaker returned something other than an integer in [0, n). */
export class TieBreakError extends SchedulerError {
  override readonly name = 'TieBreakError';
  readonly code = 'PICK_OUT_OF_RANGE';
  constructor(
    readonly candidates: number,
    readonly picked: number,
    options?: ErrorOptions,
  ) {
    super(`pick(${candidates}) returned ${picked}; it must return an integer in [0, ${candidates})`, options);
  }
}
