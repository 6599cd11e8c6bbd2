import { isTerminated, type ActorRef, type Behavior, type Terminated } from '../../actors/index.js';
import type { Say } from './say.js';

// The ping-pong of the demo: alpha's pinger tells beta's ponger a Ping on a
// timer, the ponger answers the sender, and the pinger prints each round
// trip. The pinger also watches the ponger, so it hears when beta goes away.

export interface Ping {
  readonly type: 'Ping';
  readonly n: number;
  /** The pinger's clock when it sent the ping; travels back in the Pong. */
  readonly sentAtMs: number;
}

export interface Pong {
  readonly type: 'Pong';
  readonly n: number;
  readonly sentAtMs: number;
  /** The system that answered. */
  readonly by: string;
}

/** Answers every Ping with a Pong to its sender. */
export function ponger(say: Say): Behavior<Ping> {
  return (ctx) => ({
    preStart() {
      say(`ponger ready at ${ctx.self.path}`);
    },
    receive(ping) {
      ctx.reply({ type: 'Pong', n: ping.n, sentAtMs: ping.sentAtMs, by: ctx.systemName } satisfies Pong);
    },
    postStop() {
      say('ponger stopped (postStop)');
    },
  });
}

interface Tick {
  readonly type: 'Tick';
}

export type PingerMessage = Tick | Pong | Terminated;

export interface PingerOptions {
  readonly target: ActorRef<Ping>;
  readonly intervalMs: number;
  /** A ping unanswered this long is reported as lost. */
  readonly pongTimeoutMs: number;
}

/** Pings `target` every `intervalMs`, prints each pong's round trip, and watches `target`. */
export function pinger(options: PingerOptions, say: Say): Behavior<PingerMessage> {
  const { target, intervalMs, pongTimeoutMs } = options;
  return (ctx) => {
    let n = 0;
    // ping number -> when it was sent (ms on ctx.clock)
    const unanswered = new Map<number, number>();
    const reportLost = (): void => {
      const now = ctx.clock.now();
      for (const [k, sentAtMs] of unanswered) {
        if (now - sentAtMs < pongTimeoutMs) continue;
        unanswered.delete(k);
        say(`ping ${k}: no pong within ${pongTimeoutMs} ms`);
      }
    };
    return {
      preStart() {
        ctx.watch(target as ActorRef<never>);
        ctx.timers.startPeriodic('tick', { type: 'Tick' }, intervalMs);
        say(`pinger started: pings ${target.path} every ${intervalMs} ms and watches it`);
      },
      receive(m) {
        if (isTerminated(m)) {
          ctx.timers.cancel('tick');
          const why = m.addressTerminated ? 'its system is unreachable' : 'it stopped';
          say(`watch: ${m.ref.path} terminated (${why}); no more pings`);
          return;
        }
        switch (m.type) {
          case 'Tick': {
            reportLost();
            n++;
            const now = ctx.clock.now();
            unanswered.set(n, now);
            target.tell({ type: 'Ping', n, sentAtMs: now }, ctx.self as ActorRef<never>);
            return;
          }
          case 'Pong': {
            // A pong already reported lost still counts as answered, late.
            const late = !unanswered.delete(m.n);
            const rttMs = ctx.clock.now() - m.sentAtMs;
            say(`pong ${m.n} from ${m.by}: round trip ${rttMs < 1 ? '<1' : rttMs} ms${late ? ' (late)' : ''}`);
            return;
          }
        }
      },
      postStop() {
        say(`pinger stopped (postStop) after ${n} pings`);
      },
    };
  };
}
