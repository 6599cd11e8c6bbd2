import { describe, expect, it } from 'vitest';
import { Supervision, type ActorContext, type ActorRef, type SupervisorStrategy } from '../../../actors/index.js';
import { simSystem } from './sim-helpers.js';

type Msg = { type: 'inc' } | { type: 'get' } | { type: 'boom'; async?: boolean };

/** A counter that fails on 'boom' (by throwing, or by rejecting when async). */
function counter(events: string[], name: string) {
  return (ctx: ActorContext<Msg>) => {
    let n = 0;
    return {
      preStart: () => void events.push(`${name} preStart`),
      postStop: () => void events.push(`${name} postStop`),
      receive: async (m: Msg) => {
        if (m.type === 'inc') n++;
        else if (m.type === 'get') ctx.reply(n);
        else if (m.async) {
          await ctx.delay(1);
          throw new Error('async boom');
        } else throw new Error('boom');
      },
    };
  };
}

const noBackoff = { minMs: 0, maxMs: 0, factor: 1, jitter: 0 };

async function supervised(strategy: SupervisorStrategy) {
  const { sim, system } = await simSystem();
  const events: string[] = [];
  const children: ActorRef<Msg>[] = [];
  const parent = system.spawn(
    (ctx: ActorContext<never>) => {
      children.push(ctx.spawn(counter(events, 'a'), 'a'), ctx.spawn(counter(events, 'b'), 'b'));
      return () => undefined;
    },
    'parent',
    { supervisorStrategy: strategy },
  );
  await sim.runFor(1);
  return { sim, system, events, parent, a: children[0]!, b: children[1]! };
}

describe('supervision', () => {
  it('restart gives a fresh instance and keeps the mailbox', async () => {
    const { sim, a, events } = await supervised(Supervision.oneForOne({ backoff: noBackoff }));
    a.tell({ type: 'inc' });
    a.tell({ type: 'boom' });
    a.tell({ type: 'inc' });
    expect(await sim.settle(a.ask({ type: 'get' }))).toBe(1);
    expect(events).toEqual(['a preStart', 'b preStart', 'a postStop', 'a preStart']);
  });

  it('treats a rejected promise like a thrown error', async () => {
    const { sim, a } = await supervised(Supervision.oneForOne({ backoff: noBackoff }));
    a.tell({ type: 'inc' });
    a.tell({ type: 'boom', async: true });
    expect(await sim.settle(a.ask({ type: 'get' }))).toBe(0);
  });

  it('resume keeps the state and drops only the failed message', async () => {
    const { sim, a } = await supervised(Supervision.oneForOne({ decide: () => 'resume' }));
    a.tell({ type: 'inc' });
    a.tell({ type: 'boom' });
    a.tell({ type: 'inc' });
    expect(await sim.settle(a.ask({ type: 'get' }))).toBe(2);
  });

  it('stop stops the failed child only (one-for-one)', async () => {
    const { sim, system, a, b, events } = await supervised(Supervision.oneForOne({ decide: () => 'stop' }));
    a.tell({ type: 'boom' });
    await sim.runFor(10);
    expect(events).toContain('a postStop');
    expect(events).not.toContain('b postStop');
    a.tell({ type: 'inc' });
    expect(system.stats.deadLetters).toBe(1);
    expect(await sim.settle(b.ask({ type: 'get' }))).toBe(0);
  });

  it('all-for-one restarts the siblings too', async () => {
    const { sim, a, b, events } = await supervised(Supervision.allForOne({ backoff: noBackoff }));
    b.tell({ type: 'inc' });
    a.tell({ type: 'boom' });
    await sim.runFor(10);
    expect(await sim.settle(b.ask({ type: 'get' }))).toBe(0);
    expect(events.filter((e) => e === 'b preStart')).toHaveLength(2);
  });

  it('escalate fails the parent, whose supervisor restarts it and its children', async () => {
    const { sim, a, events } = await supervised(Supervision.oneForOne({ decide: () => 'escalate' }));
    a.tell({ type: 'inc' });
    a.tell({ type: 'boom' });
    await sim.runFor(1_000);
    // The guardian restarted the parent; its setup spawned fresh children.
    expect(events.filter((e) => e === 'a preStart')).toHaveLength(2);
    expect(events.filter((e) => e === 'b postStop')).toHaveLength(1);
    expect(a.path).toBe('drover://t/user/parent/a');
  });

  it('backs off exponentially between restarts, on the virtual clock', async () => {
    const backoff = { minMs: 100, maxMs: 10_000, factor: 2, jitter: 0 };
    const { sim, a, events } = await supervised(Supervision.oneForOne({ backoff, maxRestarts: 10 }));
    const restartTimes: number[] = [];
    const start = sim.clock.now();
    for (let i = 0; i < 3; i++) {
      a.tell({ type: 'boom' });
      const before = events.filter((e) => e === 'a preStart').length;
      await sim.runUntil(() => events.filter((e) => e === 'a preStart').length > before, 60_000);
      restartTimes.push(sim.clock.now() - start);
    }
    const gaps = restartTimes.map((t, i) => t - (restartTimes[i - 1] ?? 0));
    expect(gaps).toEqual([100, 200, 400]);
  });

  it('stops a child that fails more than maxRestarts within the window', async () => {
    const { sim, a, events } = await supervised(Supervision.oneForOne({ backoff: noBackoff, maxRestarts: 2, withinMs: 60_000 }));
    for (let i = 0; i < 4; i++) a.tell({ type: 'boom' });
    await sim.runFor(100);
    expect(events.filter((e) => e === 'a preStart')).toHaveLength(3);
    expect(events[events.length - 1]).toBe('a postStop');
  });

  it('calls preRestart on the old instance and postRestart on the new one', async () => {
    const { sim, system } = await simSystem({ guardianStrategy: Supervision.oneForOne({ backoff: noBackoff }) });
    const hooks: string[] = [];
    let gen = 0;
    const r = system.spawn(() => {
      const me = ++gen;
      return {
        preStart: () => void hooks.push(`preStart ${me}`),
        preRestart: (e: unknown, m: unknown) => void hooks.push(`preRestart ${me} ${(e as Error).message} ${String(m)}`),
        postRestart: (e: unknown) => void hooks.push(`postRestart ${me} ${(e as Error).message}`),
        receive: (m: string) => {
          throw new Error(`bad ${m}`);
        },
      };
    });
    r.tell('x');
    await sim.runFor(10);
    expect(hooks).toEqual(['preStart 1', 'preRestart 1 bad x x', 'postRestart 2 bad x']);
  });

  it('restarts an actor whose preStart throws, then gives up at the limit', async () => {
    const { sim, system } = await simSystem({ guardianStrategy: Supervision.oneForOne({ backoff: noBackoff, maxRestarts: 3 }) });
    let attempts = 0;
    system.spawn(() => ({
      preStart: () => {
        attempts++;
        throw new Error('cannot start');
      },
      receive: () => undefined,
    }));
    await sim.runFor(100);
    expect(attempts).toBe(4);
  });
});
