import { describe, expect, it } from 'vitest';
import type { ApiObject, Node, Pod } from '../../../../../core/api/index.js';
import { ownerKey, ownerKeyOf, reconcileGarbage } from '../../../../../core/controllers/index.js';
import { deployment, node, pod, T0 } from '../fixtures.js';
import { runRollout } from '../deployment/drive.js';
import { MiniCluster } from '../mini-cluster.js';

const names = (r: ReturnType<typeof reconcileGarbage>) => r.actions.map((a) => (a.type === 'delete' ? `${a.kind}/${a.name}` : a.type));

describe('reconcileGarbage', () => {
  it('deletes a dependent whose only owner is gone, at the version read, a pod with its own grace', () => {
    const p = pod({ name: 'web-a' });
    const result = reconcileGarbage([p], new Set());
    expect(result.actions).toEqual([{ type: 'delete', kind: 'Pod', namespace: 'default', name: 'web-a', uid: 'uid-web-a', resourceVersion: '5' }]);
  });

  it('keeps a dependent with an owner left', () => {
    const p = pod({ name: 'web-a' });
    expect(reconcileGarbage([p], new Set([ownerKey('ReplicaSet', 'default', 'rs-uid')])).actions).toEqual([]);
  });

  it('keeps a dependent while any one of several owners exists', () => {
    const p = pod({ name: 'web-a' });
    p.metadata.ownerReferences = [
      { apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'gone', uid: 'gone' },
      { apiVersion: 'drover/v1', kind: 'Service', name: 'svc', uid: 'svc-uid' },
    ];
    expect(reconcileGarbage([p], new Set([ownerKey('Service', 'default', 'svc-uid')])).actions).toEqual([]);
    expect(names(reconcileGarbage([p], new Set()))).toEqual(['Pod/web-a']);
  });

  it('matches namespaced owners in the dependent namespace only', () => {
    const p = pod({ name: 'web-a' });
    expect(names(reconcileGarbage([p], new Set([ownerKey('ReplicaSet', 'other', 'rs-uid')])))).toEqual(['Pod/web-a']);
  });

  it('resolves cluster-scoped owners without a namespace', () => {
    const p = pod({ name: 'web-a', owner: { kind: 'Node', name: 'n1', uid: 'node-n1' } });
    const n: Node = node('n1');
    const key = ownerKeyOf(n);
    expect(key).toBe(ownerKey('Node', undefined, 'node-n1'));
    expect(reconcileGarbage([p], new Set([key ?? '']))).toEqual({ actions: [] });
    expect(names(reconcileGarbage([p], new Set()))).toEqual(['Pod/web-a']);
  });

  it('a cluster-scoped dependent cannot be owned by a namespaced object', () => {
    const n = node('n1');
    n.metadata.ownerReferences = [{ apiVersion: 'drover/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid' }];
    expect(names(reconcileGarbage([n], new Set([ownerKey('Deployment', 'default', 'dep-uid')])))).toEqual(['Node/n1']);
  });

  it('leaves objects without owner references and objects already being deleted', () => {
    const free = pod({ name: 'free', owner: null });
    const going = pod({ name: 'going', deletingAtMs: T0 + 1_000 });
    expect(reconcileGarbage([free, going], new Set()).actions).toEqual([]);
  });

  it('cascades: deleting a Deployment takes its ReplicaSets, then their pods', () => {
    const c = new MiniCluster();
    c.create(deployment({ replicas: 2 }));
    runRollout(c);
    expect(c.pods()).toHaveLength(2);
    c.objects.delete('Deployment/default/web');

    const gcRound = () => {
      const all = [...c.objects.values()];
      const owners = new Set(all.map(ownerKeyOf).filter((k): k is string => k !== undefined));
      const result = reconcileGarbage(all.filter((o: ApiObject) => (o.metadata.ownerReferences ?? []).length > 0), owners);
      c.apply(result.actions);
      return names(result);
    };
    expect(gcRound()).toEqual([expect.stringMatching(/^ReplicaSet\/web-/)]);
    expect(c.replicaSets()).toEqual([]);
    expect(gcRound()).toEqual([expect.stringMatching(/^Pod\//), expect.stringMatching(/^Pod\//)]);
    // Pods on a node terminate gracefully; nothing is deleted twice.
    expect(c.pods().every((p: Pod) => p.metadata.deletionTimestamp !== undefined)).toBe(true);
    expect(gcRound()).toEqual([]);
    c.removeTerminating();
    expect([...c.objects.keys()]).toEqual([]);
  });
});
