import { describe, expect, it } from 'vitest';
import { simulate } from '../../../actors/index.js';
import { ReplicaClient, replica, type DurableLog, type Entry, type HardState, type Snapshot } from '../../../raft/index.js';
import { KvStateMachine, put } from './kv.js';

/** Durable only in memory: enough to see the replica drive the core. */
function memoryLog(): DurableLog {
  let hardState: HardState = { term: 0, vote: '', commit: 0 };
  const entries: Entry[] = [];
  let snapshot: Snapshot | null = null;
  return {
    get recovered() {
      return { snapshot, hardState, entries: [...entries] };
    },
    save: async (hs, ents) => {
      if (hs) hardState = hs;
      if (ents.length > 0) {
        const at = entries.findIndex((e) => e.index >= ents[0]!.index);
        if (at >= 0) entries.length = at;
        entries.push(...ents);
      }
    },
    saveSnapshot: async (s) => {
      snapshot = s;
    },
    close: async () => undefined,
  };
}

describe('raft replicas in the simulated world (smoke)', () => {
  it('elect a leader and commit proposals on all three', async () => {
    await simulate({ seed: 1 }, async (sim) => {
      const ids = ['m1', 'm2', 'm3'];
      const peers = Object.fromEntries(ids.map((id) => [id, `drover://${id}/user/raft`]));
      const sms = ids.map(() => new KvStateMachine());
      for (const [i, id] of ids.entries()) {
        const log = memoryLog();
        const sys = await sim.system(id);
        sys.spawn(replica({ id, peers, voters: ids, openLog: async () => log, stateMachine: sms[i]! }), 'raft');
      }
      const client = await sim.system('client');
      const c = new ReplicaClient(client, Object.values(peers));
      await sim.runFor(5_000);
      for (let i = 0; i < 10; i++) {
        const r = await sim.settle(c.propose(put(`k${i}`, `v${i}`)));
        expect(r.result).toBe(`v${i}`);
      }
      await sim.runFor(1_000);
      for (const sm of sms) expect(sm.data.get('k9')).toBe('v9');
      expect(sms[1]!.applied).toEqual(sms[0]!.applied);
    });
  });
});
