/** Every error the actor runtime raises on purpose carries a stable `code`. */
export abstract class ActorError extends Error {
  abstract readonly code: string;
}

/** An `ask` got no reply in time. Names the target and the message type. */
export class AskTimeoutError extends ActorError {
  override readonly name = 'AskTimeoutError';
  readonly code = 'ASK_TIMEOUT';
  constructor(
    readonly targetPath: string,
    readonly messageType: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`ask to ${targetPath} with message ${messageType} got no reply within ${timeoutMs} ms`, options);
  }
}

/** A bounded mailbox with the `fail` overflow policy refused a message. */
export class MailboxFullError extends ActorError {
  override readonly name = 'MailboxFullError';
  readonly code = 'MAILBOX_FULL';
  constructor(
    readonly targetPath: string,
    readonly capacity: number,
    readonly messageType: string,
  ) {
    super(`mailbox of ${targetPath} is full (capacity ${capacity}); message ${messageType} refused`);
  }
}

/** `spawn` was given a name a sibling already has. */
export class ActorNameTakenError extends ActorError {
  override readonly name = 'ActorNameTakenError';
  readonly code = 'ACTOR_NAME_TAKEN';
  constructor(readonly path: string) {
    super(`an actor named ${path} already exists`);
  }
}

/** A name or path does not follow the rules of actor paths. */
export class InvalidActorPathError extends ActorError {
  override readonly name = 'InvalidActorPathError';
  readonly code = 'INVALID_ACTOR_PATH';
  constructor(
    readonly value: string,
    readonly rule: string,
  ) {
    super(`invalid actor path or name ${JSON.stringify(value)}: ${rule}`);
  }
}

/** The system has terminated (or crashed) and accepts no new work. */
export class SystemTerminatedError extends ActorError {
  override readonly name = 'SystemTerminatedError';
  readonly code = 'SYSTEM_TERMINATED';
  constructor(readonly systemName: string) {
    super(`actor system ${systemName} has terminated`);
  }
}

/** A frame from the transport could not be decoded or has the wrong shape. */
export class FrameError extends ActorError {
  override readonly name = 'FrameError';
  readonly code = 'BAD_FRAME';
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`bad frame: ${reason}`, options);
  }
}

/** A message could not be encoded for another system (not serializable). */
export class MessageEncodeError extends ActorError {
  override readonly name = 'MessageEncodeError';
  readonly code = 'MESSAGE_ENCODE';
  constructor(
    readonly targetPath: string,
    readonly messageType: string,
    options?: ErrorOptions,
  ) {
    super(`message ${messageType} for ${targetPath} cannot be encoded`, options);
  }
}

/** Names a message for logs and errors: its `type` field, else its class. */
export function messageTypeOf(msg: unknown): string {
  if (msg === null) return 'null';
  if (typeof msg === 'object') {
    const t = (msg as { type?: unknown }).type;
    if (typeof t === 'string') return t;
    const ctor = (msg as object).constructor;
    return ctor && ctor !== Object ? ctor.name : 'object';
  }
  return typeof msg;
}
