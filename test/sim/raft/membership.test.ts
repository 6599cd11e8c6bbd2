import { describe, expect, it } from 'vitest';
import { simulate } from '../../../actors/index.js';
import { ReplicaClient, replica, type NodeId, type RawNode } from '../../../raft/index.js';
import { FileWal, SimDisk } from '../../../raft/storage/index.js';
import { forEachSeed, simSeeds } from '../seeds.js';
import { KvStateMachine, put } from './kv.js';

const FILE = 'test/sim/raft/membership.test.ts';

describe('raft membership changes through the replica actor (simulated)', () => {
  const seeds = simSeeds(20);
  it('adds a learner, promotes it once caught up, then removes a voter, writing all along', { timeout: 60_000 + seeds.length * 200 }, async () => {
    await forEachSeed(FILE, seeds, async (seed) => {
      await simulate({ seed, faults: { dropRate: 0.02, minDelayMs: 1, maxDelayMs: 10 } }, async (sim) => {
        const ids = ['m1', 'm2', 'm3', 'm4'];
        const peers = Object.fromEntries(ids.map((id) => [id, `drover://${id}/user/raft`]));
        const sms = new Map<NodeId, KvStateMachine>();
        const nodes = new Map<NodeId, RawNode>();
        for (const id of ids) {
          const sm = new KvStateMachine();
          sms.set(id, sm);
          const disk = new SimDisk();
          const sys = await sim.system(id);
          // m4 starts outside the configuration: it only listens until it is added.
          sys.spawn(
            replica({ id, peers, voters: ['m1', 'm2', 'm3'], openLog: () => FileWal.open(disk), stateMachine: sm, snapshotEveryEntries: 20, keepEntriesAfterSnapshot: 5, probe: { started: (i, n) => void nodes.set(i, n) } }),
            'raft',
          );
        }
        const clientSystem = await sim.system('client');
        const client = new ReplicaClient(clientSystem, ['m1', 'm2', 'm3'].map((id) => peers[id]!));
        // Puts of a fixed value are idempotent: retry them when the outcome is unknown.
        const write = async (key: string, value: string) => {
          for (;;) {
            try {
              return await sim.settle(client.propose(put(key, value)));
            } catch (e) {
              if ((e as { code?: string }).code !== 'ASK_TIMEOUT') throw e;
            }
          }
        };
        // A change retried after a timeout may find itself applied already.
        const change = async (cc: Parameters<ReplicaClient['changeMembership']>[0]) => {
          for (;;) {
            try {
              return await sim.settle(client.changeMembership(cc));
            } catch (e) {
              if (/already|not a member/.test(String(e))) return 0;
              if (!/ASK_TIMEOUT|not applied yet|no reply/.test(`${(e as { code?: string }).code} ${String(e)}`)) throw e;
              await sim.runFor(100);
            }
          }
        };
        for (let i = 0; i < 60; i++) await write(`a${i}`, 'x');

        await change({ type: 'add-learner', node: 'm4' });
        // A learner receives the log (a snapshot, then entries) but has no vote.
        await sim.runUntil(() => sms.get('m4')!.data.get('a59') === 'x', 30_000);
        expect(sms.get('m4')!.data.get('a59')).toBe('x');
        // Every member applies the change once it learns it is committed.
        await sim.runUntil(() => ['m1', 'm2', 'm3'].every((id) => nodes.get(id)!.raft.conf.learners.includes('m4')), 10_000);
        for (const id of ['m1', 'm2', 'm3']) expect(nodes.get(id)!.raft.conf.learners, id).toEqual(['m4']);

        await change({ type: 'add-voter', node: 'm4' });
        // Followers apply the change when they learn it is committed.
        await sim.runUntil(() => ids.every((id) => nodes.get(id)!.raft.conf.voters.length === 4), 10_000);
        for (const id of ids) expect(nodes.get(id)!.raft.conf.voters, id).toEqual(['m1', 'm2', 'm3', 'm4']);

        const leader = [...nodes.values()].find((n) => n.raft.role === 'leader')!;
        const victim = ['m1', 'm2', 'm3'].find((id) => id !== leader.raft.id)!;
        await change({ type: 'remove', node: victim });
        for (let i = 0; i < 10; i++) await write(`b${i}`, 'y');
        await sim.runFor(2_000);
        for (const id of ids.filter((i) => i !== victim)) {
          expect(sms.get(id)!.data.get('b9'), id).toBe('y');
          expect(nodes.get(id)!.raft.conf.voters).not.toContain(victim);
        }
      });
    });
  });

  it('refuses to promote a learner that lags far behind', async () => {
    await simulate({ seed: 7 }, async (sim) => {
      const ids = ['m1', 'm2', 'm3', 'm4'];
      const peers = Object.fromEntries(ids.map((id) => [id, `drover://${id}/user/raft`]));
      for (const id of ids.slice(0, 3)) {
        const sys = await sim.system(id);
        sys.spawn(replica({ id, peers, voters: ids.slice(0, 3), openLog: () => FileWal.open(new SimDisk()), stateMachine: new KvStateMachine() }), 'raft');
      }
      const clientSystem = await sim.system('client');
      const client = new ReplicaClient(clientSystem, Object.values(peers).slice(0, 3));
      for (let i = 0; i < 150; i++) await sim.settle(client.propose(put(`k${i}`, 'v')));
      // m4 is added as a learner but never started: it cannot catch up.
      await sim.settle(client.changeMembership({ type: 'add-learner', node: 'm4' }));
      const err = await sim.settle(client.changeMembership({ type: 'add-voter', node: 'm4' })).catch((e: unknown) => e);
      expect(String(err)).toMatch(/not caught up/);
    });
  });
});
