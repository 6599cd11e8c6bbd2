import { describe, expect, it } from 'vitest';
import { simulate, type Simulation } from '../../../actors/index.js';
import type { ApiObject } from '../../../core/api/index.js';
import type { ApiReply, ApiRequest, ListResult } from '../../../core/master/index.js';
import { IDS, apiPaths, raftPaths, simMasters, type SimMasters } from './cluster.js';

function api(sim: Simulation, m: SimMasters, master: string) {
  const call = m.api(master);
  return <T>(req: ApiRequest) => sim.settle(call<T>(req));
}

const pod = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'drover/v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

describe('the API server on three simulated masters', () => {
  it('creates, reads, updates with optimistic concurrency, lists and deletes', async () => {
    await simulate({ seed: 3 }, async (sim) => {
      const m = await simMasters(sim);
      const [a, b, c] = IDS.map((id) => api(sim, m, id));

      // Any master takes a write: a follower admits it and proposes it to the leader's replica.
      const created = await a!<ApiObject>({ type: 'create', object: pod('web-1', { app: 'web' }) });
      expect(created.ok).toBe(true);
      const obj = (created as { value: ApiObject }).value;
      expect(obj.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(obj.metadata.creationTimestamp).toMatch(/^2026-01-01T/);
      expect(Number(obj.metadata.resourceVersion)).toBeGreaterThan(1);

      // A linearizable read on another master sees it at once.
      const got = await b!<ApiObject>({ type: 'get', kind: 'Pod', namespace: 'default', name: 'web-1' });
      expect(got).toMatchObject({ ok: true, value: { metadata: { name: 'web-1', resourceVersion: obj.metadata.resourceVersion } } });

      expect(await c!({ type: 'create', object: pod('web-1') })).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS', details: { objectKey: '/registry/pods/default/web-1' } } });

      // Update at the current resourceVersion succeeds; at a stale one it is a conflict.
      const labelled = { ...obj, metadata: { ...obj.metadata, labels: { app: 'web', tier: 'front' } } };
      const updated = await b!<ApiObject>({ type: 'update', object: labelled });
      expect(updated.ok).toBe(true);
      const stale = await c!({ type: 'update', object: labelled });
      expect(stale).toMatchObject({ ok: false, error: { code: 'ABORTED', details: { expectedRevision: obj.metadata.resourceVersion } } });

      // Validation errors name the field and the rule.
      const bad = await a!({ type: 'create', object: { ...pod('Bad_Name'), spec: { containers: [] } } });
      expect(bad.ok).toBe(false);
      const err = (bad as unknown as { error: { code: string; details: { violations: { path: string }[] } } }).error;
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.details.violations.map((v) => v.path)).toContain('metadata.name');

      for (let i = 2; i <= 5; i++) await a!({ type: 'create', object: pod(`web-${i}`, { app: i % 2 ? 'web' : 'db' }) });
      const web = await b!<ListResult>({ type: 'list', kind: 'Pod', namespace: 'default', selector: 'app=web' });
      expect((web as { value: ListResult }).value.items.map((p) => p.metadata.name)).toEqual(['web-1', 'web-3', 'web-5']);
      const page1 = (await c!<ListResult>({ type: 'list', kind: 'Pod', limit: 2 })) as { value: ListResult };
      expect(page1.value.items).toHaveLength(2);
      const page2 = (await c!<ListResult>({ type: 'list', kind: 'Pod', limit: 10, continue: page1.value.continue! })) as { value: ListResult };
      expect([...page1.value.items, ...page2.value.items].map((p) => p.metadata.name)).toEqual(['web-1', 'web-2', 'web-3', 'web-4', 'web-5']);
      expect(page2.value.continue).toBeUndefined();

      expect(await a!({ type: 'delete', kind: 'Pod', namespace: 'default', name: 'web-2' })).toMatchObject({ ok: true, value: { metadata: { name: 'web-2' } } });
      expect(await b!({ type: 'get', kind: 'Pod', namespace: 'default', name: 'web-2' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await b!({ type: 'get', kind: 'Gizmo' as 'Pod', name: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { field: 'kind' } } });
    });
  });

  it('keeps taking writes after the leading master crashes', async () => {
    await simulate({ seed: 5 }, async (sim) => {
      const m = await simMasters(sim);
      const client = m.client;
      const calls = Object.fromEntries(IDS.map((id) => [id, api(sim, m, id)]));
      await calls['m1']!({ type: 'create', object: pod('before') });
      // Find and crash the leader: the survivors elect another and serve on.
      const statuses = await Promise.all(IDS.map((id) => sim.settle(client.resolve(raftPaths[id]!).ask<{ role: string }>({ type: 'status' }))));
      const victim = IDS[statuses.findIndex((s) => s.role === 'leader')]!;
      sim.crash(victim);
      const survivor = IDS.find((id) => id !== victim)!;
      let reply: ApiReply = { ok: false, error: { code: 'UNAVAILABLE', message: '', details: {} } };
      for (let i = 0; i < 20 && !reply.ok; i++) {
        reply = await calls[survivor]!({ type: 'create', object: pod('after') }).catch(() => reply);
        if (!reply.ok) await sim.runFor(300);
      }
      expect(reply.ok).toBe(true);
      const both = await calls[survivor]!<ListResult>({ type: 'list', kind: 'Pod' });
      expect((both as { value: ListResult }).value.items.map((p) => p.metadata.name)).toEqual(['after', 'before']);
    });
  });

  it('a follower that is behind admits an update only from the version the client names', async () => {
    await simulate({ seed: 11 }, async (sim) => {
      const m = await simMasters(sim);
      const statuses = await Promise.all(IDS.map((id) => sim.settle(m.client.resolve(raftPaths[id]!).ask<{ role: string }>({ type: 'status' }))));
      const leader = IDS[statuses.findIndex((s) => s.role === 'leader')]!;
      const follower = IDS.find((id) => id !== leader)!;
      const onLeader = api(sim, m, leader);
      const deployment = {
        apiVersion: 'drover/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } } },
      };
      const v1 = ((await onLeader<ApiObject>({ type: 'create', object: deployment })) as { value: ApiObject }).value;
      // The follower is down while the spec changes once (generation 2).
      m.crash(follower);
      const v2 = ((await onLeader<ApiObject>({ type: 'update', object: { ...v1, spec: { ...deployment.spec, replicas: 2 } } })) as { value: ApiObject }).value;
      expect(v2.metadata.generation).toBe(2);
      // Back up, its store is behind; the next spec change goes through it at once.
      await m.start(follower);
      const onFollower = api(sim, m, follower);
      let reply: ApiReply<ApiObject> = { ok: false, error: { code: 'UNAVAILABLE', message: '', details: {} } };
      for (let i = 0; i < 50 && !reply.ok && reply.error.code === 'UNAVAILABLE'; i++) {
        reply = await onFollower<ApiObject>({ type: 'update', object: { ...v2, spec: { ...deployment.spec, replicas: 3 } } });
        if (!reply.ok) await sim.runFor(20);
      }
      expect(reply).toMatchObject({ ok: true, value: { spec: { replicas: 3 }, metadata: { generation: 3, uid: v1.metadata.uid } } });
      // The follower answered only once its own store held the write: a stale read there sees it.
      const read = await onFollower<ApiObject>({ type: 'get', kind: 'Deployment', namespace: 'default', name: 'web', stale: true });
      expect(read).toMatchObject({ ok: true, value: { metadata: { generation: 3, resourceVersion: (reply as { value: ApiObject }).value.metadata.resourceVersion } } });
    });
  });

  it('applies on any master: created, unchanged, configured (keeping the status the manifest leaves out)', async () => {
    await simulate({ seed: 13 }, async (sim) => {
      const m = await simMasters(sim);
      const [a, b, c] = IDS.map((id) => api(sim, m, id));
      const manifest = pod('web-1', { app: 'web' });
      expect(await a!({ type: 'apply', object: manifest })).toMatchObject({ ok: true, value: { action: 'created', object: { metadata: { name: 'web-1' } } } });
      expect(await b!({ type: 'apply', object: manifest })).toMatchObject({ ok: true, value: { action: 'unchanged' } });
      // Someone else sets the status; applying a changed manifest keeps it.
      const got = (await c!<ApiObject>({ type: 'get', kind: 'Pod', namespace: 'default', name: 'web-1' })) as { value: ApiObject };
      await c!({ type: 'update', object: { ...got.value, status: { phase: 'Running' } } });
      const changed = await b!<{ action: string; object: ApiObject }>({ type: 'apply', object: pod('web-1', { app: 'web', tier: 'front' }) });
      expect(changed).toMatchObject({ ok: true, value: { action: 'configured', object: { metadata: { labels: { tier: 'front' } }, status: { phase: 'Running' } } } });
      // An invalid manifest names the field.
      expect(await a!({ type: 'apply', object: pod('Bad_Name') })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { field: 'metadata.name' } } });
    });
  });

  it('each master tells the others its gRPC address, the leader hint a client can dial', async () => {
    await simulate({ seed: 17 }, async (sim) => {
      const m = await simMasters(sim);
      for (const [i, id] of IDS.entries()) m.client.resolve<unknown>(apiPaths[id]!).tell({ type: 'serving', grpcAddress: `127.0.0.1:${7401 + i}` });
      const where = await sim.settle(m.client.resolve<unknown>(apiPaths['m2']!).ask<{ grpcAddress: string }>({ type: 'whereis' }));
      expect(where.grpcAddress).toBe('127.0.0.1:7402');
    });
  });
});
