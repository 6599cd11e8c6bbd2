import { describe, expect, it } from 'vitest';
import { simulate, type ActorContext } from '../../../actors/index.js';
import { replica, type Leadership, type NodeId, type ReplicaMsg } from '../../../raft/index.js';
import { MemoryLog } from '../../../raft/storage/index.js';
import { KvStateMachine } from './kv.js';

describe('leadership subscriptions (what starts and stops leader-only work)', () => {
  it('tell each subscriber its replica\'s role, and move leadership on a crash', async () => {
    await simulate({ seed: 11 }, async (sim) => {
      const ids = ['m1', 'm2', 'm3'];
      const peers = Object.fromEntries(ids.map((id) => [id, `drover://${id}/user/raft`]));
      const seen = new Map<NodeId, Leadership[]>(ids.map((id) => [id, []]));
      for (const id of ids) {
        const sys = await sim.system(id);
        const raft = sys.spawn(replica({ id, peers, voters: ids, openLog: async () => new MemoryLog(), stateMachine: new KvStateMachine() }), 'raft');
        sys.spawn((ctx: ActorContext<Leadership>) => {
          raft.tell({ type: 'subscribe-leadership' } satisfies ReplicaMsg, ctx.self);
          return (l) => void seen.get(id)!.push(l);
        }, 'leader-work');
      }
      const current = (id: NodeId) => seen.get(id)!.at(-1);
      const leaders = () => ids.filter((id) => current(id)?.role === 'leader');
      const settled = () => leaders().length === 1 && ids.every((id) => current(id)?.leader === leaders()[0]);
      await sim.runUntil(settled, 10_000);
      const first = leaders()[0]!;
      expect(ids.filter((id) => id !== first).every((id) => current(id)?.leader === first)).toBe(true);
      expect(current(first)?.leaderPath).toBe(peers[first]);

      sim.crash(first);
      const others = ids.filter((id) => id !== first);
      await sim.runUntil(() => others.some((id) => current(id)?.role === 'leader'), 10_000);
      const second = others.find((id) => current(id)?.role === 'leader')!;
      expect(current(second)!.term).toBeGreaterThan(seen.get(first)!.at(-1)!.term);
    });
  });
});
