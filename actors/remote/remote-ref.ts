import { BaseRef, type ActorRef, type AskOptions } from '../ref.js';

/** What a remote ref needs from the system that holds it. */
export interface RemoteRefHost {
  sendRemote(toPath: string, message: unknown, sender: ActorRef<never> | null): void;
  ask<R>(target: ActorRef<never>, message: unknown, options?: AskOptions): Promise<R>;
}

/** A ref to an actor of another system: tells become envelopes on the transport. */
export class RemoteActorRef<M> extends BaseRef<M> {
  constructor(
    readonly path: string,
    private readonly host: RemoteRefHost,
  ) {
    super();
  }

  tell(message: M, sender: ActorRef<never> | null = null): void {
    this.host.sendRemote(this.path, message, sender);
  }

  ask<R = unknown>(message: M, options?: AskOptions): Promise<R> {
    return this.host.ask<R>(this as ActorRef<never>, message, options);
  }
}
