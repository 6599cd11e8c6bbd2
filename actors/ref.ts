/**
 * A handle to an actor, local or remote: the only way to reach one. Refs
 * are serializable (their path travels), so a ref sent to another system
 * works there as it does here.
 */
export interface ActorRef<M = unknown> {
  /** `drover://<system>/user/<parent>/<child>` */
  readonly path: string;
  /** Sends without waiting. `sender` is what the receiver sees as `ctx.sender`. */
  tell(message: M, sender?: ActorRef<never> | null): void;
  /** Sends and waits for one reply (the receiver answers `ctx.sender`). */
  ask<R = unknown>(message: M, options?: AskOptions): Promise<R>;
  /** True when both refs name the same actor. */
  equals(other: ActorRef<never>): boolean;
}

export interface AskOptions {
  /** Default 5,000 ms. */
  readonly timeoutMs?: number;
}

/** Delivered to a watcher when an actor it watches has stopped. */
export interface Terminated {
  readonly type: 'Terminated';
  readonly ref: ActorRef<never>;
  /** True when the actor's whole system was judged unreachable or gone. */
  readonly addressTerminated: boolean;
}

/** Narrows a message to Terminated. */
export function isTerminated(message: unknown): message is Terminated {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'Terminated';
}

/** The minimal surface every concrete ref class implements. */
export abstract class BaseRef<M> implements ActorRef<M> {
  abstract readonly path: string;
  abstract tell(message: M, sender?: ActorRef<never> | null): void;
  abstract ask<R = unknown>(message: M, options?: AskOptions): Promise<R>;

  equals(other: ActorRef<never>): boolean {
    return other === (this as unknown) || other.path === this.path;
  }

  toString(): string {
    return `ActorRef(${this.path})`;
  }

  toJSON(): string {
    return this.path;
  }
}
