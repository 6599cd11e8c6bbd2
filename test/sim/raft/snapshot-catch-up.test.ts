import { describe, expect, it } from 'vitest';
import { simulate } from '../../../actors/index.js';
import { SNAPSHOT_CHUNK_BYTES } from '../../../raft/snapshot-transfer.js';
import { forEachSeed, simSeeds } from '../seeds.js';
import { simRaftCluster } from './cluster.js';
import { put } from './kv.js';

const FILE = 'test/sim/raft/snapshot-catch-up.test.ts';
const VALUE = 'x'.repeat(64 * 1024);

/**
 * A follower cut off while the others compact their logs can only catch up
 * by a snapshot; here the snapshot spans several chunks, the network drops
 * and duplicates frames, and on some seeds the follower crashes mid-transfer.
 */
async function catchUp(seed: number): Promise<void> {
  await simulate({ seed, faults: { dropRate: 0.1, duplicateRate: 0.05, minDelayMs: 1, maxDelayMs: 10 } }, async (sim) => {
    const c = await simRaftCluster(sim, 3, { snapshotEveryEntries: 20, keepEntriesAfterSnapshot: 5 });
    await sim.runFor(3_000);
    const laggard = 'm3';
    sim.network.isolate(laggard);
    let acked = 0;
    for (let i = 0; acked < 60 && i < 1_000; i++) {
      try {
        await sim.settle(c.client.propose(put(`k${i}`, `${seed}:${i}:${VALUE}`)), 10_000);
        acked++;
      } catch {
        // A proposal lost to the faults: the next one goes on.
      }
    }
    expect(acked).toBe(60);
    sim.network.heal();
    if (sim.random.chance(0.5)) {
      // Crash it while the chunks are on their way.
      await sim.runFor(50 + sim.random.int(400));
      c.crash(laggard);
      await sim.runFor(200);
      await c.start(laggard);
    }
    const leaderData = () => [...c.slots.values()].find((s) => s.id !== laggard && s.system !== null)!.sm.data;
    const converged = await sim.runUntil(() => {
      const want = leaderData();
      const got = c.slots.get(laggard)!.sm.data;
      return got.size === want.size && [...want].every(([k, v]) => got.get(k) === v);
    }, 120_000);
    const node = c.checker.nodes.get(laggard);
    expect(converged, `${laggard} caught up (applied ${node?.raft.log.applied}, snapshot chunks of ${SNAPSHOT_CHUNK_BYTES} bytes)`).toBe(true);
    // The snapshot really was larger than one chunk.
    expect(c.slots.get(laggard)!.sm.snapshot().byteLength).toBeGreaterThan(2 * SNAPSHOT_CHUNK_BYTES);
    c.checker.checkLogMatching();
  });
}

const SEEDS = simSeeds(20);

describe('a follower far behind catches up by a snapshot in many chunks (simulated, lossy)', () => {
  it('converges on every seed, crash mid-transfer or not', { timeout: 60_000 + SEEDS.length * 3_000 }, async () => {
    await forEachSeed(FILE, SEEDS, catchUp);
  });
});
