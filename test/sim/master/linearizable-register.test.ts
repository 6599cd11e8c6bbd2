import { describe, expect, it } from 'vitest';
import { simulate, type Simulation } from '../../../actors/index.js';
import type { ApiObject } from '../../../core/api/index.js';
import { checkRegister, type RegisterOp } from '../../../chaos/checkers/linearizability.js';
import { forEachSeed, simSeeds } from '../seeds.js';
import { IDS, simMasters, type SimMasters } from './cluster.js';

const FILE = 'test/sim/master/linearizable-register.test.ts';
const SEEDS = simSeeds(40);

const register = (value: string) => ({
  apiVersion: 'drover/v1',
  kind: 'Pod',
  metadata: { name: 'register', namespace: 'default', labels: { v: value } },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

/** Clients read (linearizable get) and write (update) one object's label through random masters. */
async function client(sim: Simulation, m: SimMasters, name: string, ops: number, history: RegisterOp[]): Promise<void> {
  for (let i = 0; i < ops; i++) {
    const api = m.api(IDS[sim.random.int(IDS.length)]!);
    const invokeMs = sim.elapsedMs;
    if (sim.random.chance(0.5)) {
      const r = await api<ApiObject>({ type: 'get', kind: 'Pod', namespace: 'default', name: 'register' }, 1_000).catch(() => null);
      if (r?.ok) history.push({ kind: 'read', value: r.value.metadata.labels?.['v'] ?? null, invokeMs, completeMs: sim.elapsedMs });
    } else {
      const value = `${name}-${i}`;
      const r = await api<ApiObject>({ type: 'update', object: register(value) }, 1_000).catch(() => null);
      // As the client library reads failures: no answer, DEADLINE_EXCEEDED or
      // an UNAVAILABLE that does not say nothing was started (no `leader`
      // detail) leave the outcome unknown; any other error means it did not happen.
      const unknown = r === null || (!r.ok && (r.error.code === 'DEADLINE_EXCEEDED' || r.error.code === 'INTERNAL' || (r.error.code === 'UNAVAILABLE' && r.error.details.leader === undefined)));
      if (unknown) history.push({ kind: 'write', value, invokeMs, completeMs: Number.POSITIVE_INFINITY });
      else if (r?.ok) history.push({ kind: 'write', value, invokeMs, completeMs: sim.elapsedMs });
    }
    await new Promise<void>((res) => m.client.world.clock.setTimer(sim.random.int(50), res));
  }
}

describe('the API is linearizable (register workload on simulated masters under faults)', () => {
  it('reads and writes of one object linearize, with drops, partitions and a crashed leader', { timeout: 60_000 + SEEDS.length * 1_000 }, async () => {
    await forEachSeed(FILE, SEEDS, async (seed) => {
      await simulate({ seed, faults: { dropRate: 0.03, duplicateRate: 0.01, reorderRate: 0.02, minDelayMs: 1, maxDelayMs: 10 } }, async (sim) => {
        const m = await simMasters(sim);
        // The network drops frames from the start: a create whose request or
        // answer was lost is sent again (ALREADY_EXISTS then means it was made).
        let created = false;
        for (let attempt = 0; attempt < 10 && !created; attempt++) {
          const r = await sim.settle(m.api(IDS[attempt % IDS.length]!)<ApiObject>({ type: 'create', object: register('initial') }, 2_000)).catch(() => null);
          created = r !== null && (r.ok || r.error.code === 'ALREADY_EXISTS');
        }
        expect(created).toBe(true);
        const history: RegisterOp[] = [];
        const clients = ['a', 'b', 'c', 'd'].map((name) => client(sim, m, name, 25, history));
        // Faults while the clients run: a partition, then a crashed master that comes back.
        await sim.runFor(500 + sim.random.int(500));
        sim.network.isolate(IDS[sim.random.int(3)]!);
        await sim.runFor(1_000 + sim.random.int(1_000));
        sim.network.heal();
        const victim = IDS[sim.random.int(3)]!;
        m.crash(victim);
        await sim.runFor(500 + sim.random.int(1_000));
        await m.start(victim);
        await sim.settle(Promise.all(clients), 120_000);
        const result = checkRegister(history, 'initial');
        if (!result.ok) throw new Error(`${result.reason}\nhistory: ${JSON.stringify(history)}`);
        expect(history.filter((op) => op.completeMs !== Number.POSITIVE_INFINITY).length).toBeGreaterThan(20);
      });
    });
  });
});
