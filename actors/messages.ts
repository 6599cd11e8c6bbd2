import type { ActorCell } from './actor-cell.js';
import type { ActorRef } from './ref.js';

/**
 * Messages the runtime sends to a cell. They overtake user messages; those
 * that run user code (stop, restart, resume) wait while the actor is
 * busy with an async handler or suspended after a failure.
 */
export type SystemMessage =
  | { readonly type: 'start' }
  | { readonly type: 'stop' }
  | { readonly type: 'resume' }
  | { readonly type: 'restart'; readonly error: unknown; readonly message: unknown }
  | { readonly type: 'failed'; readonly child: ActorCell<never>; readonly error: unknown; readonly message: unknown }
  | { readonly type: 'child-stopped'; readonly child: ActorCell<never> }
  | { readonly type: 'watch'; readonly watcher: ActorRef<never> }
  | { readonly type: 'unwatch'; readonly watcher: ActorRef<never> }
  | { readonly type: 'death'; readonly ref: ActorRef<never>; readonly addressTerminated: boolean };

/** Whether a system message must wait until the actor is idle. */
export function waitsForIdle(m: SystemMessage): boolean {
  return m.type === 'stop' || m.type === 'restart' || m.type === 'resume';
}

/** A timer's message on its way through the mailbox, tagged to detect cancellation. */
export class TimerFire {
  constructor(
    readonly key: string,
    readonly generation: number,
    readonly message: unknown,
  ) {}
}
