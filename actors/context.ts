import type { Logger } from 'pino';
import type { Behavior, SpawnOptions } from './behavior.js';
import type { ActorRef, AskOptions } from './ref.js';
import type { Clock } from './world/clock.js';
import type { Random } from './world/random.js';

/**
 * Keyed timers that send messages to the actor itself. Starting a timer with
 * a key that is active replaces it; a cancelled timer's message is never
 * delivered, even if it was already queued. All timers stop with the actor.
 */
export interface Timers<M> {
  startSingle(key: string, message: M, delayMs: number): void;
  startPeriodic(key: string, message: M, intervalMs: number): void;
  cancel(key: string): void;
  cancelAll(): void;
  isActive(key: string): boolean;
}

/**
 * What an actor sees of the world. Time, timers, randomness and logging come
 * from here only, so the same actor runs in the real and the simulated world.
 */
export interface ActorContext<M> {
  readonly self: ActorRef<M>;
  /** The sender of the message being handled, if it gave one. */
  readonly sender: ActorRef<never> | null;
  /** The parent, or null for a system guardian. */
  readonly parent: ActorRef<never> | null;
  readonly children: readonly ActorRef<never>[];
  child(name: string): ActorRef<never> | undefined;
  spawn<C>(behavior: Behavior<C>, name?: string, options?: SpawnOptions): ActorRef<C>;
  /** Stops a child (or, with no argument or `self`, this actor). */
  stop(ref?: ActorRef<never>): void;
  /**
   * Watches another actor, local or remote. When it stops, this actor gets
   * `message` if given, else a `Terminated` (include it in your message type).
   */
  watch(ref: ActorRef<never>, message?: M): void;
  unwatch(ref: ActorRef<never>): void;
  /** Sends `message` to `target` keeping the current sender. */
  forward<T>(target: ActorRef<T>, message: T): void;
  /** Answers the current sender; does nothing when there is none. */
  reply(message: unknown): void;
  ask<R = unknown, T = unknown>(target: ActorRef<T>, message: T, options?: AskOptions): Promise<R>;
  /** A ref for any actor path, local or on another system. */
  resolve<T = unknown>(path: string): ActorRef<T>;
  /** Resolves after `ms` on this world's clock (for async handlers). */
  delay(ms: number): Promise<void>;
  readonly timers: Timers<M>;
  readonly clock: Clock;
  readonly random: Random;
  /** A pino logger carrying this actor's path. */
  readonly log: Logger;
  /** The name of this actor's system. */
  readonly systemName: string;
}
