import { describe, expect, it } from 'vitest';
import { simulate } from '../../actors/index.js';
import { startCluster } from './workload.js';

async function run(seed: number) {
  return simulate({ seed, faults: { dropRate: 0.1, duplicateRate: 0.05, reorderRate: 0.2, minDelayMs: 1, maxDelayMs: 25 } }, async (sim) => {
    const { clients, servers } = await startCluster(sim, 40);
    await sim.runFor(500);
    sim.network.isolate('b');
    await sim.runFor(700);
    sim.network.heal();
    sim.crash('c');
    await sim.runFor(300);
    await sim.system('c');
    await sim.runFor(2_000);
    return { acked: clients.map((c) => c.acked.length), stored: servers.map((s) => s.ids.size), timeouts: clients.map((c) => c.timeouts) };
  });
}

describe('simulation determinism', () => {
  it('gives the same trace for the same seed', async () => {
    for (const seed of [1, 2, 3]) {
      const first = await run(seed);
      const second = await run(seed);
      expect(second.traceHash).toBe(first.traceHash);
      expect(second.events).toBe(first.events);
      expect(second.value).toEqual(first.value);
      expect(first.events).toBeGreaterThan(300);
    }
  });

  it('gives different traces for different seeds', async () => {
    const hashes = new Set<string>();
    for (let seed = 10; seed < 20; seed++) hashes.add((await run(seed)).traceHash);
    expect(hashes.size).toBe(10);
  });
});
