import { describe, expect, it } from 'vitest';
import { simulate, type Simulation } from '../../../actors/index.js';
import type { ApiObject } from '../../../core/api/index.js';
import type { ListResult } from '../../../core/master/index.js';
import { IDS, simMasters, type SimMasters } from './cluster.js';

const pod = (name: string) => ({
  apiVersion: 'drover/v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

async function createPods(sim: Simulation, m: SimMasters, names: readonly string[], via: readonly string[] = IDS): Promise<void> {
  for (const [i, name] of names.entries()) {
    const call = m.api(via[i % via.length]!);
    for (let attempt = 0; ; attempt++) {
      // A write to a follower whose leader just died gets no answer until the deadline: retry it.
      const r = await sim.settle(call<ApiObject>({ type: 'create', object: pod(name) })).catch((e: unknown) => ({ ok: false as const, error: { code: 'TIMEOUT', message: String(e) } }));
      if (r.ok || r.error.code === 'ALREADY_EXISTS') break;
      if (attempt > 20) throw new Error(`create ${name}: ${r.error.code} ${r.error.message}`);
      await sim.runFor(100);
    }
  }
}

describe('the store\'s history on three simulated masters', () => {
  it('the leader compacts it every interval, keeping one interval of history, on every master alike', async () => {
    await simulate({ seed: 21 }, async (sim) => {
      const m = await simMasters(sim, { compactionIntervalMs: 1_000 });
      await createPods(sim, m, ['a', 'b', 'c']);
      const early = m.stores.get('m1')!.revision;
      await sim.runFor(1_100);
      await createPods(sim, m, ['d', 'e']);
      await sim.runFor(1_100);
      for (const id of IDS) {
        const store = m.stores.get(id)!;
        expect(store.compactRevision, `${id} compacted`).toBeGreaterThanOrEqual(early);
      }
      // A watch from before the compaction is refused with the compacted revision; one from after it is served.
      const watcher = await sim.system('watcher');
      const seen: unknown[] = [];
      watcher.spawn((ctx) => {
        ctx.resolve<unknown>('drover://m2/user/api').tell({ type: 'watch', watchId: 'old', kind: 'Pod', resourceVersion: '1' }, ctx.self as never);
        return (msg: unknown) => void seen.push(msg);
      }, 'w');
      await sim.runFor(200);
      expect(seen[0]).toMatchObject({ type: 'watch-error', watchId: 'old' });
      expect(JSON.stringify(seen[0])).toMatch(/compact/i);
    });
  });

  it('a master that was down catches up from a raft snapshot of the store, and serves what it holds', async () => {
    await simulate({ seed: 23 }, async (sim) => {
      const m = await simMasters(sim, { snapshotEveryEntries: 20, keepEntriesAfterSnapshot: 5 });
      await createPods(sim, m, ['p0']);
      const leaderStore = () => [...m.stores.entries()].find(([id]) => id !== 'm3')![1];
      m.crash('m3');
      await createPods(sim, m, Array.from({ length: 60 }, (_, i) => `q${i}`), ['m1', 'm2']);
      await m.start('m3');
      const caughtUp = await sim.runUntil(() => m.stores.get('m3')!.revision === leaderStore().revision, 30_000);
      expect(caughtUp).toBe(true);
      const list = await sim.settle(m.api('m3')<ListResult>({ type: 'list', kind: 'Pod', namespace: 'default', stale: true }));
      expect(list.ok && list.value.items.length).toBe(61);
      // It got there by a snapshot: the others' logs no longer hold what it missed.
      const status = await sim.settle(m.client.resolve<unknown>('drover://m3/user/raft').ask<{ snapshotIndex: number }>({ type: 'status' }));
      expect(status.snapshotIndex).toBeGreaterThan(0);
    });
  });
});
