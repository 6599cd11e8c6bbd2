import { describe, expect, it } from 'vitest';
import { ActorSystem, realWorld, type ActorContext, type ActorRef } from '../../../actors/index.js';
import { simSystem } from './sim-helpers.js';

describe('dispatcher fairness', () => {
  it('does not let one flooded actor starve another', async () => {
    const { sim, system } = await simSystem({ dispatcher: { throughput: 10 } });
    const order: string[] = [];
    const busy = system.spawn(() => (n: number) => void order.push(`busy ${n}`));
    const quiet = system.spawn(() => (n: number) => void order.push(`quiet ${n}`));
    for (let i = 0; i < 1_000; i++) busy.tell(i);
    quiet.tell(0);
    await sim.runFor(1);
    // quiet runs after busy's first batch of 10, not after all 1,000.
    expect(order.indexOf('quiet 0')).toBe(10);
    expect(order).toHaveLength(1_001);
  });

  it('keeps the host responsive (timers fire) while two actors message each other forever', async () => {
    const system = await ActorSystem.start({ name: 'loop', world: realWorld() });
    let pings = 0;
    const a = system.spawn((ctx: ActorContext<'ping'>) => () => {
      pings++;
      ctx.self.tell('ping');
    });
    a.tell('ping');
    const fired = await system.spawn((ctx: ActorContext<'go' | 'fire'>) => {
      let asker: ActorRef<never> | null = null;
      return (m) => {
        if (m === 'go') {
          asker = ctx.sender;
          ctx.timers.startSingle('t', 'fire', 20);
        } else (asker as ActorRef<string> | null)?.tell('fired');
      };
    }).ask('go');
    expect(fired).toBe('fired');
    expect(pings).toBeGreaterThan(1_000);
    await system.terminate();
  });

  it('reports a simulated livelock instead of hanging', async () => {
    const { sim, system } = await simSystem({ dispatcher: { batchesPerTurn: 16 } });
    const a = system.spawn((ctx: ActorContext<'ping'>) => () => ctx.self.tell('ping'));
    a.tell('ping');
    await expect(sim.runFor(10)).rejects.toThrow(/livelock/);
  });
});
