import { describe, expect, it } from 'vitest';
import { simulate, type ActorContext } from '../../../actors/index.js';
import { leaderWork } from '../../../core/master/index.js';
import { createKvStore } from '../../../core/store/index.js';
import { replica } from '../../../raft/index.js';
import { MemoryLog } from '../../../raft/storage/index.js';
import { forEachSeed, simSeeds } from '../seeds.js';

const FILE = 'test/sim/master/leader-work.test.ts';

describe('leader-only work (simulated masters)', () => {
  it('runs on one master once leadership settles, and moves with it', async () => {
    await forEachSeed(FILE, simSeeds(20), async (seed) => {
      await simulate({ seed, faults: { dropRate: 0.02, minDelayMs: 1, maxDelayMs: 10 } }, async (sim) => {
        const ids = ['m1', 'm2', 'm3'];
        const peers = Object.fromEntries(ids.map((id) => [id, `drover://${id}/user/raft`]));
        const running = new Set<string>();
        for (const id of ids) {
          const sys = await sim.system(id);
          sys.spawn(replica({ id, peers, voters: ids, openLog: async () => new MemoryLog(), stateMachine: createKvStore() }), 'raft');
          // A stand-in for the scheduler: it marks where it runs.
          const scheduler = (_ctx: ActorContext<never>) => ({
            preStart: () => void running.add(id),
            postStop: () => void running.delete(id),
            receive: () => undefined,
          });
          sys.spawn(leaderWork({ raftPath: peers[id]!, workers: { scheduler } }), 'leader-work');
        }
        await sim.runUntil(() => running.size === 1, 10_000);
        expect(running.size).toBe(1);
        const first = [...running][0]!;
        // Cut the leader off: it steps down (check-quorum) and the others elect one.
        sim.network.isolate(first);
        await sim.runUntil(() => running.size === 1 && !running.has(first), 10_000);
        expect([...running]).not.toContain(first);
        expect(running.size).toBe(1);
        sim.network.heal();
        await sim.runFor(3_000);
        expect(running.size).toBe(1);
      });
    });
  });
});
