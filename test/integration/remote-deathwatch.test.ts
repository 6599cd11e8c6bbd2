import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isTerminated, type ActorRef, type ActorSystem, type Terminated } from '../../actors/index.js';
import { deferred, withTimeout } from '../support/async.js';
import { Cleanup } from '../support/cleanup.js';
import { natsServerFor, startTestSystem, uniqueSystemName } from '../support/nats.js';
import type { Ping, Pong } from './fixtures/behaviors.js';
import { startPeer, type Peer } from './fixtures/peer-process.js';

// System A lives in the test process and watches actors of system B, which
// runs in its own OS process. A normal stop is reported by B itself; a
// killed B says nothing, so A's failure detector must notice the silence.

const REMOTING = { heartbeatIntervalMs: 200, unreachableAfterMs: 1_000 } as const;
/** Generous: the detector needs about unreachableAfterMs + heartbeatIntervalMs. */
const DETECTION_BOUND_MS = 10_000;

interface Probe {
  readonly type: 'Probe';
}

interface Watch {
  readonly terminated: Promise<Terminated>;
  /** Every Terminated the watcher got, to catch duplicates. */
  readonly seen: Terminated[];
  /** Resolves once B has handled A's watch (a Ping sent after it came back). */
  established(): Promise<Pong>;
}

/** Spawns an actor in `system` that watches `target` and records its Terminated. */
function watchFrom(system: ActorSystem, target: ActorRef<Ping>): Watch {
  const done = deferred<Terminated>();
  const seen: Terminated[] = [];
  const watcher = system.spawn<Terminated | Probe>((ctx) => {
    ctx.watch(target as ActorRef<never>);
    return async (m) => {
      if (isTerminated(m)) {
        seen.push(m);
        return done.resolve(m);
      }
      // The watch envelope went out when this actor started; this Ping follows
      // it on the same A -> B link, so its answer means B has the watch.
      ctx.reply(await ctx.ask<Pong>(target, { type: 'Ping', n: 1 }, { timeoutMs: 10_000 }));
    };
  });
  return { terminated: done.promise, seen, established: () => system.ask<Pong>(watcher, { type: 'Probe' }, { timeoutMs: 15_000 }) };
}

describe('death watch across processes over NATS', () => {
  const suite = new Cleanup();
  const perTest = new Cleanup();
  let natsUrl: string;
  let a: ActorSystem;

  beforeAll(async () => {
    natsUrl = (await natsServerFor(suite)).url;
    ({ system: a } = await startTestSystem(suite, natsUrl, uniqueSystemName('watch-a'), REMOTING));
  });
  afterEach(() => perTest.run());
  afterAll(() => suite.run());

  /** A fresh process B with a fresh actor `target`; stopped after the test. */
  async function startB(): Promise<{ b: Peer; target: ActorRef<Ping> }> {
    const b = await startPeer(perTest, natsUrl, uniqueSystemName('watch-b'), REMOTING);
    const { path } = await b.process.request<{ path: string }>({ cmd: 'spawn', name: 'target' });
    return { b, target: a.resolve<Ping>(path) };
  }

  it('reports a normal stop of the remote actor with addressTerminated false', async () => {
    const { b, target } = await startB();
    const w = watchFrom(a, target);
    expect(await w.established()).toEqual({ type: 'Pong', n: 1, by: b.name });
    expect(w.seen).toEqual([]);

    await b.process.request({ cmd: 'stop', path: target.path });
    const t = await withTimeout(w.terminated, DETECTION_BOUND_MS, 'Terminated after a normal stop');
    expect(t.ref.path).toBe(target.path);
    expect(t.addressTerminated).toBe(false);
    // B lives on and keeps answering; the watcher got exactly one Terminated.
    expect((await b.process.request<{ reply: Pong }>({ cmd: 'ask', path: b.paths.echo, message: { type: 'Ping', n: 2 } })).reply.n).toBe(2);
    expect(w.seen).toHaveLength(1);
  });

  it('reports a graceful exit of the remote process with addressTerminated false', async () => {
    const { b, target } = await startB();
    const w = watchFrom(a, target);
    await w.established();

    const exit = await b.process.stop(); // SIGTERM: B terminates its system, which tells watchers
    expect(exit).toEqual({ code: 0, signal: null });
    const t = await withTimeout(w.terminated, DETECTION_BOUND_MS, 'Terminated after B exited gracefully');
    expect(t.ref.path).toBe(target.path);
    expect(t.addressTerminated).toBe(false);
  });

  it('reports kill -9 of the remote process with addressTerminated true, for every watched actor', async () => {
    const { b, target } = await startB();
    const w = watchFrom(a, target);
    const wEcho = watchFrom(a, a.resolve<Ping>(b.paths.echo));
    await Promise.all([w.established(), wEcho.established()]);

    const exit = await b.process.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const [t, tEcho] = await withTimeout(
      Promise.all([w.terminated, wEcho.terminated]),
      DETECTION_BOUND_MS,
      `Terminated after kill -9 (heartbeat ${REMOTING.heartbeatIntervalMs} ms, unreachable after ${REMOTING.unreachableAfterMs} ms)`,
    );
    expect(t.ref.path).toBe(target.path);
    expect(t.addressTerminated).toBe(true);
    expect(tEcho.ref.path).toBe(b.paths.echo);
    expect(tEcho.addressTerminated).toBe(true);
    expect(w.seen).toHaveLength(1);
    expect(wEcho.seen).toHaveLength(1);
  });
});
