import { describe, expect, it } from 'vitest';
import { simulate, type Simulation } from '../../../actors/index.js';
import type { ApiObject, Pod } from '../../../core/api/index.js';
import type { ApiRequest, BindResult, ListResult, WatchMessage } from '../../../core/master/index.js';
import { IDS, simMasters, type SimMasters } from './cluster.js';

function api(sim: Simulation, m: SimMasters, master: string) {
  const call = m.api(master);
  return async <T>(req: ApiRequest): Promise<T> => {
    const r = await sim.settle(call<T>(req));
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
}

const pod = (name: string, nodeName?: string): unknown => ({
  apiVersion: 'drover/v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'busybox' }], ...(nodeName ? { nodeName } : {}), terminationGracePeriodSeconds: 5 },
});

describe('the pod writes of the API server (bind, status, graceful delete, field selectors)', () => {
  it('binds many pods in one entry, and a pod that moved fails alone', async () => {
    await simulate({ seed: 11 }, async (sim) => {
      const m = await simMasters(sim);
      const a = api(sim, m, IDS[0]!);
      const pods: Pod[] = [];
      for (let i = 0; i < 5; i++) pods.push(await a<Pod>({ type: 'create', object: pod(`p${i}`) }));
      const revisionBefore = m.stores.get(IDS[0]!)!.revision;
      const bound = await a<BindResult>({
        type: 'bind',
        bindings: pods.map((p, i) => ({ namespace: 'default', name: p.metadata.name, uid: p.metadata.uid!, nodeName: `n${i % 2}` })),
      });
      expect(bound.results.every((r) => r.ok)).toBe(true);
      // One log entry: every pod got the same new revision.
      expect(new Set(bound.results.map((r) => (r.ok ? r.resourceVersion : '')))).toEqual(new Set([String(revisionBefore + 1)]));
      const p0 = await a<Pod>({ type: 'get', kind: 'Pod', namespace: 'default', name: 'p0' });
      expect(p0.spec.nodeName).toBe('n0');
      expect(p0.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');

      // Already bound, a wrong uid, a missing pod: each fails alone, the rest binds.
      const q = await a<Pod>({ type: 'create', object: pod('q') });
      const mixed = await a<BindResult>({
        type: 'bind',
        bindings: [
          { namespace: 'default', name: 'p1', uid: pods[1]!.metadata.uid!, nodeName: 'n9' },
          { namespace: 'default', name: 'q', uid: 'not-its-uid', nodeName: 'n9' },
          { namespace: 'default', name: 'gone', uid: 'x', nodeName: 'n9' },
          { namespace: 'default', name: 'q', uid: q.metadata.uid!, nodeName: 'n9' },
        ],
      });
      expect(mixed.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['FAILED_PRECONDITION', 'NOT_FOUND', 'NOT_FOUND', 'ok']);

      // The node name is the one input a bind takes from its caller: checked, and named in the error.
      const r = await a<Pod>({ type: 'create', object: pod('r') });
      const bad = await a<BindResult>({ type: 'bind', bindings: [{ namespace: 'default', name: 'r', uid: r.metadata.uid!, nodeName: 'Not_A_Node' }] });
      expect(bad.results[0]).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { field: 'nodeName' } } });
      expect(!bad.results[0]!.ok && bad.results[0]!.error.message).toMatch(/binding of default\/r: nodeName: must be a DNS-1123 subdomain/);
      expect((await a<Pod>({ type: 'get', kind: 'Pod', namespace: 'default', name: 'r' })).spec.nodeName).toBeUndefined();
    });
  });

  it('lists and watches by field, and a pod bound to the node enters the watch as ADDED', async () => {
    await simulate({ seed: 12 }, async (sim) => {
      const m = await simMasters(sim);
      const a = api(sim, m, IDS[1]!);
      await a({ type: 'create', object: pod('on-n1', 'n1') });
      await a({ type: 'create', object: pod('on-n2', 'n2') });
      const p = await a<Pod>({ type: 'create', object: pod('later') });
      const listed = await a<ListResult>({ type: 'list', kind: 'Pod', fieldSelector: 'spec.nodeName=n1' });
      expect(listed.items.map((o) => o.metadata.name)).toEqual(['on-n1']);
      const bad = await sim.settle(m.api(IDS[1]!)({ type: 'list', kind: 'Pod', fieldSelector: 'spec.image=x' }));
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { field: 'fieldSelector' } } });

      const seen: WatchMessage[] = [];
      const watcher = m.client.spawn<WatchMessage>(() => (msg) => void seen.push(msg), 'w');
      m.client.resolve<ApiRequest>('drover://m2/user/api').tell({ type: 'watch', watchId: 'w1', kind: 'Pod', fieldSelector: 'spec.nodeName=n1', resourceVersion: listed.resourceVersion }, watcher as never);
      await a({ type: 'bind', bindings: [{ namespace: 'default', name: 'later', uid: p.metadata.uid!, nodeName: 'n1' }] });
      await sim.runFor(500);
      expect(seen.map((e) => (e.type === 'watch-event' ? `${e.event} ${e.object.metadata.name}` : e.type))).toEqual(['watch-started', 'ADDED later']);
    });
  });

  it('deletes a pod on a node gracefully, then for good with grace 0; replaces status only', async () => {
    await simulate({ seed: 13 }, async (sim) => {
      const m = await simMasters(sim);
      const a = api(sim, m, IDS[2]!);
      const created = await a<Pod>({ type: 'create', object: pod('web', 'n1') });
      // Status only: a spec change in the same request is ignored.
      const withStatus = await a<Pod>({
        type: 'update-status',
        object: { ...created, metadata: { ...created.metadata, resourceVersion: undefined, labels: { sneaky: 'yes' } }, status: { phase: 'Running' } },
      });
      expect(withStatus.status?.phase).toBe('Running');
      expect(withStatus.metadata.labels).toBeUndefined();

      const now = sim.clock.now();
      const terminating = await a<Pod>({ type: 'delete', kind: 'Pod', namespace: 'default', name: 'web' });
      expect(terminating.metadata.deletionGracePeriodSeconds).toBe(5);
      expect(Date.parse(terminating.metadata.deletionTimestamp!)).toBeGreaterThanOrEqual(now + 5_000);
      // Deleting again while it terminates changes nothing.
      const again = await a<Pod>({ type: 'delete', kind: 'Pod', namespace: 'default', name: 'web', gracePeriodSeconds: 30 });
      expect(again.metadata.resourceVersion).toBe(terminating.metadata.resourceVersion);
      await a({ type: 'delete', kind: 'Pod', namespace: 'default', name: 'web', gracePeriodSeconds: 0 });
      const gone = await sim.settle(m.api(IDS[0]!)({ type: 'get', kind: 'Pod', namespace: 'default', name: 'web' }));
      expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

      // A pod on no node goes at once.
      await a<ApiObject>({ type: 'create', object: pod('unbound') });
      expect(await a<ApiObject>({ type: 'delete', kind: 'Pod', namespace: 'default', name: 'unbound' })).toMatchObject({ metadata: { name: 'unbound' } });
      expect(await sim.settle(m.api(IDS[0]!)({ type: 'get', kind: 'Pod', namespace: 'default', name: 'unbound' }))).toMatchObject({ ok: false });
    });
  });
});
