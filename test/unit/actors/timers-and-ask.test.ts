import { describe, expect, it } from 'vitest';
import { AskTimeoutError, type ActorContext, type ActorRef } from '../../../actors/index.js';
import { simSystem } from './sim-helpers.js';

describe('timers on the virtual clock', () => {
  it('fires single and periodic timers at their times', async () => {
    const { sim, system } = await simSystem();
    const start = sim.clock.now();
    const fired: string[] = [];
    system.spawn((ctx: ActorContext<string>) => {
      ctx.timers.startSingle('once', 'once', 250);
      ctx.timers.startPeriodic('tick', 'tick', 100);
      return (m) => {
        fired.push(`${m}@${ctx.clock.now() - start}`);
        if (fired.filter((f) => f.startsWith('tick')).length === 3) ctx.timers.cancel('tick');
      };
    });
    await sim.runFor(1_000);
    expect(fired).toEqual(['tick@100', 'tick@200', 'once@250', 'tick@300']);
  });

  it('never delivers a cancelled timer, even one already queued', async () => {
    const { sim, system } = await simSystem();
    const got: string[] = [];
    const r = system.spawn((ctx: ActorContext<string>) => async (m) => {
      got.push(m);
      if (m === 'start') {
        ctx.timers.startSingle('t', 'timer', 10);
        await ctx.delay(50); // the timer fires and queues while we are busy
        ctx.timers.cancel('t');
      }
    });
    r.tell('start');
    await sim.runFor(200);
    expect(got).toEqual(['start']);
  });

  it('replaces a timer started again with the same key', async () => {
    const { sim, system } = await simSystem();
    const got: string[] = [];
    system.spawn((ctx: ActorContext<string>) => {
      ctx.timers.startSingle('k', 'first', 10);
      ctx.timers.startSingle('k', 'second', 20);
      return (m) => void got.push(m);
    });
    await sim.runFor(100);
    expect(got).toEqual(['second']);
  });

  it('cancels all timers when the actor stops', async () => {
    const { sim, system } = await simSystem();
    const r = system.spawn((ctx: ActorContext<string>) => {
      ctx.timers.startPeriodic('p', 'tick', 10);
      return () => undefined;
    });
    await sim.runFor(35);
    system.stop(r as ActorRef<never>);
    await sim.runFor(1);
    expect(sim.clock.pendingTimers()).toBe(0);
    expect(system.stats.deadLetters).toBe(0);
  });
});

describe('ask', () => {
  it('resolves with the reply', async () => {
    const { sim, system } = await simSystem();
    const r = system.spawn((ctx: ActorContext<number>) => (n) => ctx.reply(n * 2));
    expect(await sim.settle(r.ask<number>(21))).toBe(42);
    expect(system.stats.pendingAsks).toBe(0);
  });

  it('times out with an AskTimeoutError naming the target and the message type', async () => {
    const { sim, system } = await simSystem();
    const r = system.spawn(() => () => undefined, 'silent');
    const p = r.ask({ type: 'GetStatus' }, { timeoutMs: 300 });
    const err = await sim.settle(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AskTimeoutError);
    expect(err).toMatchObject({ targetPath: 'drover://t/user/silent', messageType: 'GetStatus', timeoutMs: 300, code: 'ASK_TIMEOUT' });
    expect((err as Error).message).toContain('drover://t/user/silent');
    expect(sim.elapsedMs).toBe(300);
    expect(system.stats.pendingAsks).toBe(0);
  });

  it('forward keeps the original sender', async () => {
    const { sim, system } = await simSystem();
    const worker = system.spawn((ctx: ActorContext<string>) => (m) => ctx.reply(`${m} handled by ${ctx.self.path}`), 'worker');
    const front = system.spawn((ctx: ActorContext<string>) => (m) => ctx.forward(worker, m), 'front');
    expect(await sim.settle(front.ask('job'))).toBe('job handled by drover://t/user/worker');
  });

  it('asks from inside an actor', async () => {
    const { sim, system } = await simSystem();
    const doubler = system.spawn((ctx: ActorContext<number>) => (n) => ctx.reply(n * 2));
    const asker = system.spawn((ctx: ActorContext<number>) => async (n) => {
      const d = await ctx.ask<number>(doubler, n);
      ctx.reply(d + 1);
    });
    expect(await sim.settle(asker.ask(5))).toBe(11);
  });
});
