import { describe, expect, it } from 'vitest';
import { simulate, type ActorContext, type ActorRef, type Terminated } from '../../actors/index.js';
import { forEachSeed, simSeeds } from './seeds.js';
import { startCluster } from './workload.js';

const FILE = 'test/sim/actors-faults.test.ts';
const SEEDS = simSeeds(200);
const TIMEOUT_MS = 60_000 + SEEDS.length * 50;
const IDS = 20;

describe('actor systems on a faulty simulated network', () => {
  it('deliver every acknowledged write exactly once to the server, and finish after healing', { timeout: TIMEOUT_MS }, async () => {
    await forEachSeed(FILE, SEEDS, async (seed) => {
      await simulate({ seed, faults: { dropRate: 0.1, duplicateRate: 0.05, reorderRate: 0.1, minDelayMs: 1, maxDelayMs: 20 } }, async (sim) => {
        const { servers, clients } = await startCluster(sim, IDS);
        // Safety phase: random partitions come and go while the clients write.
        const names = ['a', 'b', 'c'];
        for (let round = 0; round < 5; round++) {
          await sim.runFor(sim.random.int(300));
          sim.network.isolate(names[sim.random.int(3)]!);
          await sim.runFor(100 + sim.random.int(700));
          sim.network.heal();
        }
        // Liveness phase: a healed, clean network; every client must finish.
        sim.network.setFaults({ dropRate: 0, duplicateRate: 0, reorderRate: 0 });
        const finished = await sim.runUntil(() => clients.every((c) => c.done), 60_000);
        expect(finished, 'clients finish within 60 s of virtual time after healing').toBe(true);
        clients.forEach((c, i) => {
          const srv = servers[(i + 1) % 3]!;
          // Every acknowledged id is on the server, once; the server has nothing never sent.
          for (const id of c.acked) expect(srv.ids.has(id)).toBe(true);
          expect(new Set(c.acked).size).toBe(IDS);
          expect([...srv.ids].every((id) => id.startsWith(`${names[i]}-`))).toBe(true);
          expect(srv.ids.size).toBe(IDS);
        });
      });
    });
  });

  it('keep per-link order when the network drops and duplicates but does not reorder', { timeout: TIMEOUT_MS }, async () => {
    await forEachSeed(FILE, SEEDS, async (seed) => {
      await simulate({ seed, faults: { dropRate: 0.2, duplicateRate: 0.2, reorderRate: 0, minDelayMs: 1, maxDelayMs: 30 } }, async (sim) => {
        const a = await sim.system('a');
        const b = await sim.system('b');
        const seen: number[] = [];
        b.spawn(() => (n: number) => void seen.push(n), 'sink');
        const sink = a.resolve<number>('drover://b/user/sink');
        for (let i = 0; i < 200; i++) {
          sink.tell(i);
          if (sim.random.chance(0.3)) await sim.runFor(sim.random.int(10));
        }
        await sim.runFor(1_000);
        // A duplicate may repeat an older frame, but what arrives for the
        // first time arrives in the order it was sent.
        const firsts = seen.filter((n, i) => seen.indexOf(n) === i);
        for (let i = 1; i < firsts.length; i++) expect(firsts[i]!).toBeGreaterThan(firsts[i - 1]!);
        expect(firsts.length).toBeGreaterThan(100);
      });
    });
  });

  it('terminate remote watches when a system is cut off or crashes, and only then', { timeout: TIMEOUT_MS }, async () => {
    await forEachSeed(FILE, SEEDS, async (seed) => {
      await simulate({ seed, faults: { dropRate: 0.05, minDelayMs: 1, maxDelayMs: 10 } }, async (sim) => {
        // Ten heartbeats of silence: at 5% loss, ten lost exchanges in a row are
        // too rare to matter (a shorter window gave false suspicions over 2,000 seeds).
        const remoting = { heartbeatIntervalMs: 100, unreachableAfterMs: 1_000 };
        const a = await sim.system('a', { remoting });
        const b = await sim.system('b', { remoting });
        const c = await sim.system('c', { remoting });
        b.spawn(() => () => undefined, 'x');
        c.spawn(() => () => undefined, 'y');
        const got: Terminated[] = [];
        a.spawn((ctx: ActorContext<Terminated>) => {
          ctx.watch(a.resolve('drover://b/user/x') as ActorRef<never>);
          ctx.watch(a.resolve('drover://c/user/y') as ActorRef<never>);
          return (m) => void got.push(m);
        });
        // Heartbeats keep a watch alive on a lossy but connected network.
        await sim.runFor(3_000);
        expect(got).toEqual([]);
        // Cut b off: its actor is judged gone within the detector's bound.
        const cutAt = sim.elapsedMs;
        sim.network.isolate('b');
        await sim.runUntil(() => got.length === 1, 5_000);
        expect(got.map((t) => [t.ref.path, t.addressTerminated])).toEqual([['drover://b/user/x', true]]);
        expect(sim.elapsedMs - cutAt).toBeLessThanOrEqual(remoting.unreachableAfterMs + 2 * remoting.heartbeatIntervalMs);
        // Crash c: the same, as a killed process.
        sim.crash('c');
        await sim.runUntil(() => got.length === 2, 5_000);
        expect(got[1]).toMatchObject({ addressTerminated: true });
        expect(got[1]!.ref.path).toBe('drover://c/user/y');
      });
    });
  });
});
