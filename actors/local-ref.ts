import type { ActorCell } from './actor-cell.js';
import { BaseRef, type ActorRef, type AskOptions } from './ref.js';

/** What refs need from their system. */
export interface RefHost {
  ask<R>(target: ActorRef<never>, message: unknown, options?: AskOptions): Promise<R>;
  deadLetter(recipientPath: string, message: unknown, sender: ActorRef<never> | null, reason: string): void;
}

/** A ref to an actor of this system: a tell is one enqueue, no copying. */
export class LocalActorRef<M> extends BaseRef<M> {
  constructor(readonly cell: ActorCell<M>) {
    super();
  }

  get path(): string {
    return this.cell.path;
  }

  tell(message: M, sender: ActorRef<never> | null = null): void {
    this.cell.enqueueUser(message, sender);
  }

  ask<R = unknown>(message: M, options?: AskOptions): Promise<R> {
    return this.cell.host.ask<R>(this as ActorRef<never>, message, options);
  }
}

/** A ref whose actor does not exist (here): every message is a dead letter. */
export class DeadRef<M> extends BaseRef<M> {
  constructor(
    readonly path: string,
    private readonly host: RefHost,
    private readonly reason: string,
  ) {
    super();
  }

  tell(message: M, sender: ActorRef<never> | null = null): void {
    this.host.deadLetter(this.path, message, sender, this.reason);
  }

  ask<R = unknown>(message: M, options?: AskOptions): Promise<R> {
    return this.host.ask<R>(this as ActorRef<never>, message, options);
  }
}
