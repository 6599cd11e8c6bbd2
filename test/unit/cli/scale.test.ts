import { afterEach, describe, expect, it } from 'vitest';
import { runScale } from '../../../bin/commands/index.js';
import { parseReplicas } from '../../../bin/commands/scale.js';
import type { Deployment } from '../../../core/api/index.js';
import { DroverClient } from '../../../core/client/index.js';
import { startFakeCluster, type FakeCluster } from '../core/client/fake-masters.js';
import { FakeClient } from './fake-client.js';
import { deployment, replicaSet } from './objects.js';
import { testIo } from './test-io.js';

describe('drover scale', () => {
  it('sets spec.replicas at the version read: deployment/web, deployment web, replicasets, -n', async () => {
    const client = new FakeClient();
    client.put(deployment({ replicas: 3 }));
    client.put({ ...deployment(), metadata: { ...deployment().metadata, namespace: 'team' } });
    client.put(replicaSet(1, 'nginx:1', { replicas: 2 }));
    const io = testIo();
    expect(await runScale({ resource: 'deployment/web', replicas: '5' }, io, () => client)).toBe(0);
    expect(await runScale({ resource: 'deployment', name: 'web', replicas: '0', namespace: 'team' }, io, () => client)).toBe(0);
    expect(await runScale({ resource: 'rs/web-h1', replicas: '4' }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual(['deployment/web scaled', 'deployment/web scaled', 'replicaset/web-h1 scaled']);
    expect(client.stored('Deployment', 'web')?.spec.replicas).toBe(5);
    expect(client.stored('Deployment', 'web', 'team')?.spec.replicas).toBe(0);
    expect(client.stored('ReplicaSet', 'web-h1')?.spec.replicas).toBe(4);
    expect(client.closed).toBe(true);
  });

  it('retries a conflict a few times, reading again, then gives up with exit 1', async () => {
    const client = new FakeClient();
    client.put(deployment({ replicas: 3 }));
    let races = 2;
    client.beforeUpdate = () => {
      if (races-- > 0) client.put({ ...client.stored('Deployment', 'web')!, metadata: { ...client.stored('Deployment', 'web')!.metadata, labels: { touched: 'yes' } } });
    };
    expect(await runScale({ resource: 'deployment/web', replicas: '5' }, testIo(), () => client)).toBe(0);
    expect(client.calls.filter((c) => c.startsWith('update'))).toHaveLength(3);
    expect(client.stored('Deployment', 'web')).toMatchObject({ metadata: { labels: { touched: 'yes' } }, spec: { replicas: 5 } });

    races = Infinity;
    const io = testIo();
    expect(await runScale({ resource: 'deployment/web', replicas: '7' }, io, () => client)).toBe(1);
    expect(io.stderr[0]).toMatch(/^error: deployment\/web kept changing while being updated; gave up after 5 attempts/);
  });

  it('usage errors are exit 2 before any call; a missing object is exit 1', async () => {
    const client = new FakeClient();
    for (const opts of [{ resource: 'pod/x', replicas: '1' }, { resource: 'deployment/web', replicas: '-1' }, { resource: 'deployment/web', replicas: 'many' }, { resource: 'deployment/web' }]) {
      expect(await runScale(opts, testIo(), () => client)).toBe(2);
    }
    expect(client.calls).toEqual([]);
    const io = testIo();
    expect(await runScale({ resource: 'deployment/nope', replicas: '1' }, io, () => client)).toBe(1);
    expect(io.stderr).toEqual(['error: deployments "nope" not found in namespace "default"']);
    expect(parseReplicas(' 12 ')).toBe(12);
  });

  describe('through the real client and fake masters', () => {
    let cluster: FakeCluster | undefined;
    afterEach(async () => {
      await cluster?.stop();
      cluster = undefined;
    });

    it('updates at the version read over gRPC, and reads again after another writer', async () => {
      cluster = await startFakeCluster(1);
      const masters = cluster.masters[0]!.address;
      const store = cluster.store;
      const { metadata, ...rest } = deployment({ replicas: 3 });
      store.create({ ...rest, metadata: { name: metadata.name } } as unknown as Parameters<typeof store.create>[0]);
      let raced = false;
      store.beforeUpdate = () => {
        if (raced) return;
        raced = true;
        const cur = store.get('Deployment', 'default', 'web');
        store.update({ ...cur, metadata: { ...cur.metadata, labels: { raced: 'yes' } } });
      };
      const io = testIo();
      const code = await runScale({ masters, resource: 'deployment/web', replicas: '6' }, io, (m) => new DroverClient({ masters: m, retry: { backoffBaseMs: 5, backoffMaxMs: 20, attemptsMax: 4, deadlineMs: 2_000 } }));
      expect(io.stderr).toEqual([]);
      expect(code).toBe(0);
      const stored = store.get('Deployment', 'default', 'web') as unknown as Deployment;
      expect(stored.spec.replicas).toBe(6);
      expect(stored.metadata.labels).toEqual({ raced: 'yes' });
      expect(cluster.masters[0]!.calls.filter((c) => c === 'Update')).toHaveLength(2);
    });
  });
});
