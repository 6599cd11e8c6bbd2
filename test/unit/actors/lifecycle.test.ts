import { describe, expect, it } from 'vitest';
import {
  Actor,
  ActorNameTakenError,
  InvalidActorPathError,
  MailboxFullError,
  isTerminated,
  type ActorContext,
  type ActorRef,
  type Terminated,
} from '../../../actors/index.js';
import { simSystem } from './sim-helpers.js';

describe('spawning and paths', () => {
  it('gives refs drover:// paths under /user, nested by parent', async () => {
    const { sim, system } = await simSystem();
    let childPath = '';
    const parent = system.spawn((ctx: ActorContext<'go'>) => {
      const child = ctx.spawn(() => () => undefined, 'child');
      childPath = child.path;
      return () => undefined;
    }, 'parent');
    await sim.runFor(1);
    expect(parent.path).toBe('drover://t/user/parent');
    expect(childPath).toBe('drover://t/user/parent/child');
    expect(system.resolve(childPath).path).toBe(childPath);
  });

  it('refuses a taken or invalid name with a typed error', async () => {
    const { system } = await simSystem();
    system.spawn(() => () => undefined, 'x');
    expect(() => system.spawn(() => () => undefined, 'x')).toThrow(ActorNameTakenError);
    expect(() => system.spawn(() => () => undefined, 'a/b')).toThrow(InvalidActorPathError);
  });

  it('runs the class style and the functional style alike', async () => {
    class Counter extends Actor<{ type: 'inc' } | { type: 'get' }> {
      private n = 0;
      receive(m: { type: 'inc' } | { type: 'get' }): void {
        if (m.type === 'inc') this.n++;
        else this.context.reply(this.n);
      }
    }
    const { sim, system } = await simSystem();
    const a = system.spawn(Counter);
    const b = system.spawn((ctx: ActorContext<{ type: 'inc' } | { type: 'get' }>) => {
      let n = 0;
      return (m) => (m.type === 'inc' ? void n++ : ctx.reply(n));
    });
    for (const r of [a, b]) for (let i = 0; i < 3; i++) r.tell({ type: 'inc' });
    expect(await sim.settle(a.ask({ type: 'get' }))).toBe(3);
    expect(await sim.settle(b.ask({ type: 'get' }))).toBe(3);
  });
});

describe('async handlers', () => {
  it('handle one message at a time per actor', async () => {
    const { sim, system } = await simSystem();
    const log: string[] = [];
    const r = system.spawn((ctx: ActorContext<number>) => async (n) => {
      log.push(`start ${n}`);
      await ctx.delay(10);
      log.push(`end ${n}`);
    });
    r.tell(1);
    r.tell(2);
    await sim.runFor(100);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });
});

describe('stopping', () => {
  it('stops children before the parent and calls postStop bottom-up', async () => {
    const { sim, system } = await simSystem();
    const order: string[] = [];
    const parent = system.spawn((ctx: ActorContext<never>) => {
      ctx.spawn(() => ({ receive: () => undefined, postStop: () => void order.push('child') }), 'c');
      return { receive: () => undefined, postStop: () => void order.push('parent') };
    }, 'p');
    await sim.runFor(1);
    system.stop(parent as ActorRef<never>);
    await sim.runFor(1);
    expect(order).toEqual(['child', 'parent']);
  });

  it('sends messages to a stopped actor, and those left in its mailbox, to dead letters', async () => {
    const { sim, system } = await simSystem();
    const r = system.spawn((ctx: ActorContext<number>) => (n) => {
      if (n === 0) ctx.stop();
    });
    for (let i = 0; i < 5; i++) r.tell(i);
    await sim.runFor(1);
    r.tell(99);
    expect(system.stats.deadLetters).toBe(5); // 1..4 left in the mailbox, then 99
  });

  it('lets a stop overtake queued user messages', async () => {
    const { sim, system } = await simSystem();
    const seen: number[] = [];
    const r = system.spawn(() => (n: number) => void seen.push(n));
    for (let i = 0; i < 100; i++) r.tell(i);
    system.stop(r as ActorRef<never>);
    await sim.runFor(1);
    expect(seen).toEqual([]);
    expect(system.stats.deadLetters).toBe(100);
  });
});

describe('death watch (local)', () => {
  it('delivers Terminated once when a watched actor stops', async () => {
    const { sim, system } = await simSystem();
    const target = system.spawn(() => () => undefined, 'target');
    const got: Terminated[] = [];
    system.spawn((ctx: ActorContext<Terminated>) => {
      ctx.watch(target as ActorRef<never>);
      return (m) => void got.push(m);
    });
    await sim.runFor(1);
    system.stop(target as ActorRef<never>);
    await sim.runFor(1);
    expect(got).toHaveLength(1);
    expect(isTerminated(got[0])).toBe(true);
    expect(got[0]!.ref.path).toBe(target.path);
    expect(got[0]!.addressTerminated).toBe(false);
  });

  it('answers a watch of an already stopped actor at once', async () => {
    const { sim, system } = await simSystem();
    const target = system.spawn(() => () => undefined);
    system.stop(target as ActorRef<never>);
    await sim.runFor(1);
    const got: unknown[] = [];
    system.spawn((ctx: ActorContext<unknown>) => {
      ctx.watch(target as ActorRef<never>, { type: 'target-gone' });
      return (m) => void got.push(m);
    });
    await sim.runFor(1);
    expect(got).toEqual([{ type: 'target-gone' }]);
  });

  it('delivers nothing after unwatch', async () => {
    const { sim, system } = await simSystem();
    const target = system.spawn(() => () => undefined);
    const got: unknown[] = [];
    system.spawn((ctx: ActorContext<unknown>) => {
      ctx.watch(target as ActorRef<never>);
      ctx.unwatch(target as ActorRef<never>);
      return (m) => void got.push(m);
    });
    await sim.runFor(1);
    system.stop(target as ActorRef<never>);
    await sim.runFor(1);
    expect(got).toEqual([]);
  });
});

describe('bounded mailboxes', () => {
  it('fail the sender with MailboxFullError under the fail policy', async () => {
    const { system } = await simSystem();
    const r = system.spawn(() => () => undefined, 'small', { mailbox: { kind: 'bounded', capacity: 2, overflow: 'fail' } });
    r.tell(1);
    r.tell(2);
    expect(() => r.tell(3)).toThrow(MailboxFullError);
  });

  it('count dropped messages as dead letters under drop policies', async () => {
    const { sim, system } = await simSystem();
    const seen: number[] = [];
    const newest = system.spawn(() => (n: number) => void seen.push(n), 'n', { mailbox: { kind: 'bounded', capacity: 2, overflow: 'drop-newest' } });
    const oldest = system.spawn(() => (n: number) => void seen.push(n * 10), 'o', { mailbox: { kind: 'bounded', capacity: 2, overflow: 'drop-oldest' } });
    for (const r of [newest, oldest]) for (const n of [1, 2, 3]) r.tell(n);
    await sim.runFor(1);
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 20, 30]);
    expect(system.stats.deadLetters).toBe(2);
  });
});
