import { describe, expect, it } from 'vitest';
import { simulate, type Simulation } from '../../../actors/index.js';
import { forEachSeed, simSeeds } from '../seeds.js';
import { simRaftCluster, type SimRaftCluster } from './cluster.js';
import { put } from './kv.js';

interface Ack {
  readonly key: string;
  readonly value: string;
}

/** Writers that propose unique keys until told to stop; they record what was acknowledged. */
function startWriters(sim: Simulation, c: SimRaftCluster, count: number, acks: Ack[], stop: { now: boolean }): Promise<void>[] {
  return Array.from({ length: count }, async (_, w) => {
    for (let n = 0; !stop.now; n++) {
      const key = `w${w}-${n}`;
      const value = `${sim.seed}:${key}`;
      try {
        await c.client.propose(put(key, value));
        acks.push({ key, value });
      } catch {
        // Unknown outcome (timeout) or refused: try the next key.
        await new Promise<void>((r) => c.clientSystem.world.clock.setTimer(50, r));
      }
    }
  });
}

/** A random fault, drawn from the seed; most rounds first heal the last one. */
async function nemesis(sim: Simulation, c: SimRaftCluster): Promise<void> {
  const ids = c.ids;
  const pick = () => ids[sim.random.int(ids.length)]!;
  if (sim.random.chance(0.7)) sim.network.heal();
  switch (sim.random.int(5)) {
    case 0: {
      const minority = ids.filter(() => sim.random.chance(0.4)).slice(0, Math.floor((ids.length - 1) / 2));
      sim.network.partition(minority, ids.filter((id) => !minority.includes(id)).concat('client'));
      break;
    }
    case 1:
      sim.network.isolate(pick());
      break;
    case 2: {
      const leader = [...c.checker.leaders.values()].pop();
      if (leader) sim.network.isolate(leader);
      break;
    }
    case 3: {
      const id = pick();
      c.crash(id);
      await sim.runFor(100 + sim.random.int(1_000));
      await c.start(id);
      break;
    }
    default:
      sim.network.heal();
  }
}

async function campaign(seed: number, n: number): Promise<void> {
  await simulate({ seed, faults: { dropRate: 0.05, duplicateRate: 0.02, reorderRate: 0.05, minDelayMs: 1, maxDelayMs: 10 } }, async (sim) => {
    const c = await simRaftCluster(sim, n);
    const acks: Ack[] = [];
    const stop = { now: false };
    const writers = startWriters(sim, c, 8, acks, stop);
    // Safety phase: faults come and go; the checker throws at the first violation.
    for (let i = 0; i < 8; i++) {
      await sim.runFor(500 + sim.random.int(1_500));
      await nemesis(sim, c);
    }
    // Liveness phase: everything healed and running; the cluster must converge.
    sim.network.heal();
    sim.network.setFaults({ dropRate: 0, duplicateRate: 0, reorderRate: 0 });
    for (const slot of c.slots.values()) if (slot.system === null) await c.start(slot.id);
    stop.now = true;
    await sim.settle(Promise.all(writers), 60_000);
    const final = await sim.settle(c.client.propose(put('final', String(seed))), 60_000);
    const converged = await sim.runUntil(() => [...c.slots.values()].every((s) => s.sm.data.get('final') === String(seed)), 60_000);
    if (!converged) {
      const states = c.ids.map((id) => {
        const node = c.checker.nodes.get(id);
        const st = node?.status();
        return `${id}: ${st ? `${st.role} term ${st.term} lead ${st.lead} commit ${st.commit} applied ${st.applied} last ${st.lastIndex} first ${node!.raft.log.firstIndex()} progress ${JSON.stringify([...st.progress])}` : 'not running'}`;
      });
      throw new Error(`replicas did not all apply the final write (index ${final.index}):\n  ${states.join('\n  ')}`);
    }
    c.checker.checkLogMatching();
    // No acknowledged write is lost, on any replica.
    for (const slot of c.slots.values()) for (const a of acks) expect(slot.sm.data.get(a.key), `${slot.id} has ${a.key}`).toBe(a.value);
    expect(final.index).toBeGreaterThan(0);
    if (process.env["DROVER_SIM_VERBOSE"]) console.log(`seed ${seed} n=${n}: ${acks.length} acked, final index ${final.index}, ${sim.events} events, ${sim.elapsedMs} ms, leaders ${c.checker.leaders.size}`);
  });
}

/**
 * The campaign over the seeds of `npm test` (1,000) or DROVER_SIM_SEEDS, in
 * the calling test file (each replica count has a file of its own, so the two
 * run in parallel and a replay names the right one).
 */
export function raftCampaign(file: string, replicas: number): void {
  const seeds = simSeeds(1_000);
  // Long campaigns (npm run test:sim) get time in proportion to their seeds.
  const timeoutMs = 60_000 + seeds.length * 400;
  describe('raft replicas under faults (simulated: network, crashes, lost unsynced writes)', () => {
    it(`keep every safety property and lose no acknowledged write, ${replicas} replicas, ${seeds.length} seeds`, { timeout: timeoutMs }, async () => {
      await forEachSeed(file, seeds, (seed) => campaign(seed, replicas));
    });
  });
}
