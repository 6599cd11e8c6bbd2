import type { ActorContext } from './context.js';
import type { MailboxOptions } from './mailbox.js';
import type { SupervisorStrategy } from './supervision.js';

/** Handles one message. A returned promise holds the actor until it settles. */
export type Receive<M> = (message: M) => void | Promise<void>;

/** Lifecycle hooks an actor may define. Any may be async. */
export interface LifecycleHooks {
  preStart?(): void | Promise<void>;
  postStop?(): void | Promise<void>;
  /** Before a restart, on the failed instance. Default: postStop. */
  preRestart?(error: unknown, message: unknown): void | Promise<void>;
  /** After a restart, on the new instance. Default: preStart. */
  postRestart?(error: unknown): void | Promise<void>;
}

/** A functional actor: a receive function plus optional hooks. */
export interface Handlers<M> extends LifecycleHooks {
  receive: Receive<M>;
  /** How this actor supervises its children. */
  supervisorStrategy?: SupervisorStrategy;
}

/**
 * The class style: extend Actor and implement `receive`. `context` is set
 * before `preStart` runs (not yet in the constructor).
 */
export abstract class Actor<M> {
  // Assigned by the runtime right after construction.
  protected context!: ActorContext<M>;
  /** How this actor supervises its children (default: one-for-one restart). */
  supervisorStrategy?: SupervisorStrategy;
  abstract receive(message: M): void | Promise<void>;

  /** @internal */
  bindContext(ctx: ActorContext<M>): void {
    this.context = ctx;
  }
}

/**
 * What `spawn` takes:
 * - a class extending `Actor<M>` with a no-argument constructor, or
 * - a setup function `(ctx) => ...` returning a receive function, a
 *   `Handlers<M>` object, or an `Actor<M>` instance (for constructors with
 *   arguments). The setup function runs again on every restart, so state in
 *   its closure starts fresh, as a new class instance would.
 */
export type Behavior<M> = ActorClass<M> | SetupFn<M>;
export type ActorClass<M> = new () => Actor<M>;
export type SetupFn<M> = (ctx: ActorContext<M>) => Receive<M> | Handlers<M> | Actor<M>;

export interface SpawnOptions {
  readonly mailbox?: MailboxOptions;
  /** How the new actor supervises its children (overrides its own). */
  readonly supervisorStrategy?: SupervisorStrategy;
}

/** The runtime's uniform view of an actor instance. */
export interface Instance<M> extends LifecycleHooks {
  receive: Receive<M>;
  supervisorStrategy?: SupervisorStrategy | undefined;
}

function isActorClass<M>(b: Behavior<M>): b is ActorClass<M> {
  return typeof b === 'function' && b.prototype instanceof Actor;
}

/** Creates a fresh instance of a behaviour for a (re)start. */
export function instantiate<M>(behavior: Behavior<M>, ctx: ActorContext<M>): Instance<M> {
  if (isActorClass(behavior)) return fromActor(new behavior(), ctx);
  const made = behavior(ctx);
  if (made instanceof Actor) return fromActor(made, ctx);
  if (typeof made === 'function') return { receive: made };
  if (made === null || typeof made !== 'object' || typeof made.receive !== 'function') {
    throw new TypeError('a setup function must return a receive function, a Handlers object or an Actor');
  }
  return made;
}

function fromActor<M>(actor: Actor<M>, ctx: ActorContext<M>): Instance<M> {
  actor.bindContext(ctx);
  // The actor itself is the instance: its methods are the hooks.
  return actor as unknown as Instance<M>;
}
