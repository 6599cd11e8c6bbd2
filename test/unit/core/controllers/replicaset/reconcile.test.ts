import { describe, expect, it } from 'vitest';
import type { Pod, ReplicaSet } from '../../../../../core/api/index.js';
import { reconcileReplicaSet } from '../../../../../core/controllers/index.js';
import type { ControllerAction } from '../../../../../core/controllers/index.js';
import { pod, replicaSet, T0 } from '../fixtures.js';

function suffixes(): () => string {
  let n = 0;
  return () => `s${n++}`;
}

function run(rs: ReplicaSet, pods: Pod[], opts: { nowMs?: number; burstReplicas?: number } = {}) {
  return reconcileReplicaSet(rs, pods, opts.nowMs ?? T0, {
    newSuffix: suffixes(),
    ...(opts.burstReplicas !== undefined ? { burstReplicas: opts.burstReplicas } : {}),
  });
}

const ofType = <T extends ControllerAction['type']>(actions: readonly ControllerAction[], type: T) =>
  actions.filter((a): a is Extract<ControllerAction, { type: T }> => a.type === type);

const threePods = () => [pod({ name: 'web-a' }), pod({ name: 'web-b' }), pod({ name: 'web-c' })];

/** An RS whose status already says what `pods` show. */
function settled(rs: ReplicaSet, replicas: number): ReplicaSet {
  return { ...rs, status: { replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 } };
}

describe('reconcileReplicaSet: scaling', () => {
  it.each<[string, number, Pod[], { creates: number; deletes: string[] }]>([
    ['creates every pod of a new set', 3, [], { creates: 3, deletes: [] }],
    ['creates the missing pod', 3, [pod({ name: 'web-a' }), pod({ name: 'web-b' })], { creates: 1, deletes: [] }],
    ['does nothing at the desired count', 3, threePods(), { creates: 0, deletes: [] }],
    ['deletes the surplus', 1, threePods(), { creates: 0, deletes: ['web-a', 'web-b'] }],
    ['scales to zero', 0, threePods(), { creates: 0, deletes: ['web-a', 'web-b', 'web-c'] }],
    [
      'replaces a terminating pod and never deletes it again',
      2,
      [pod({ name: 'web-a' }), pod({ name: 'web-b', deletingAtMs: T0 + 30_000 })],
      { creates: 1, deletes: [] },
    ],
    ['replaces finished pods', 2, [pod({ name: 'web-a', phase: 'Succeeded' }), pod({ name: 'web-b', phase: 'Failed' })], { creates: 2, deletes: [] }],
  ])('%s', (_, replicas, pods, expected) => {
    // Same creation times: the tie-break on name makes the order total.
    const { actions } = run(replicaSet({ replicas }), pods.map((p) => ({ ...p, metadata: { ...p.metadata, creationTimestamp: new Date(T0 - 1000).toISOString() } })));
    expect(ofType(actions, 'create')).toHaveLength(expected.creates);
    expect(ofType(actions, 'delete').map((a) => a.name)).toEqual(expected.deletes);
  });

  it('stamps pods out of the template, owned by the set', () => {
    const rs = replicaSet({ replicas: 1 });
    rs.spec.template.metadata = { labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' } };
    const [create] = ofType(run(rs, []).actions, 'create');
    expect(create?.object).toEqual({
      apiVersion: 'drover/v1',
      kind: 'Pod',
      metadata: {
        name: 'web-s0',
        namespace: 'default',
        labels: { app: 'web', tier: 'front' },
        annotations: { note: 'x' },
        ownerReferences: [{ apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: rs.spec.template.spec,
    });
    // A copy: the template is not shared with the pod.
    expect((create?.object as Pod).spec).not.toBe(rs.spec.template.spec);
  });

  it('creates and deletes at most burstReplicas per round, and asks to be run again at once', () => {
    const up = run(replicaSet({ replicas: 10 }), [], { burstReplicas: 4 });
    expect(ofType(up.actions, 'create')).toHaveLength(4);
    expect(up.requeueAfterMs).toBe(0);
    const down = run(replicaSet({ replicas: 0 }), threePods(), { burstReplicas: 2 });
    expect(ofType(down.actions, 'delete')).toHaveLength(2);
    expect(down.requeueAfterMs).toBe(0);
  });

  it('a set being deleted neither creates nor deletes pods', () => {
    const rs = { ...replicaSet({ replicas: 5 }), metadata: { ...replicaSet().metadata, deletionTimestamp: new Date(T0).toISOString() } };
    const { actions } = run(rs, threePods());
    expect(actions.filter((a) => a.type === 'create' || a.type === 'delete')).toEqual([]);
  });
});

describe('reconcileReplicaSet: adoption and release', () => {
  it('adopts a matching orphan and counts it', () => {
    const orphan = pod({ name: 'stray', owner: null });
    const { actions } = run(replicaSet({ replicas: 1 }), [orphan]);
    const updates = ofType(actions, 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.object.metadata.ownerReferences).toEqual([
      { apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true },
    ]);
    // At the version read, so a concurrent change makes it a conflict.
    expect(updates[0]?.object.metadata.resourceVersion).toBe('5');
    expect(ofType(actions, 'create')).toEqual([]);
  });

  it('keeps other, non-controller owner references when adopting', () => {
    const orphan = pod({ name: 'stray', owner: null });
    orphan.metadata.ownerReferences = [{ apiVersion: 'drover/v1', kind: 'Service', name: 'x', uid: 'svc' }];
    const [update] = ofType(run(replicaSet({ replicas: 1 }), [orphan]).actions, 'update');
    expect(update?.object.metadata.ownerReferences?.map((r) => r.uid)).toEqual(['svc', 'rs-uid']);
  });

  it.each<[string, Pod]>([
    ['a pod another controller owns', pod({ name: 'other', owner: { name: 'other', uid: 'other-uid' } })],
    ['a non-matching orphan', pod({ name: 'stray', owner: null, labels: { app: 'db' } })],
    ['a terminating orphan', pod({ name: 'stray', owner: null, deletingAtMs: T0 + 1_000 })],
    ['a pod of another namespace', { ...pod({ name: 'stray', owner: null }), metadata: { ...pod({ name: 'stray', owner: null }).metadata, namespace: 'prod' } }],
  ])('leaves alone %s (and creates a pod instead)', (_, p) => {
    const { actions } = run(replicaSet({ replicas: 1 }), [p]);
    expect(ofType(actions, 'update')).toEqual([]);
    expect(ofType(actions, 'create')).toHaveLength(1);
  });

  it('releases an owned pod the selector no longer matches, and replaces it', () => {
    const relabeled = pod({ name: 'web-a', labels: { app: 'debug' } });
    const { actions } = run(replicaSet({ replicas: 1 }), [relabeled]);
    const [update] = ofType(actions, 'update');
    expect(update?.object.metadata.name).toBe('web-a');
    expect(update?.object.metadata.ownerReferences).toBeUndefined();
    expect(ofType(actions, 'create')).toHaveLength(1);
  });

  it('does not release a terminating pod', () => {
    const relabeled = pod({ name: 'web-a', labels: { app: 'debug' }, deletingAtMs: T0 + 1_000 });
    expect(ofType(run(replicaSet({ replicas: 0 }), [relabeled]).actions, 'update')).toEqual([]);
  });
});

describe('reconcileReplicaSet: status', () => {
  it('reports replicas, fully labeled, ready and available pods, and the generation seen', () => {
    const rs = replicaSet({ replicas: 4, generation: 7 });
    rs.spec.template.metadata = { labels: { app: 'web', tier: 'front' } };
    const pods = [
      pod({ name: 'a', labels: { app: 'web', tier: 'front' } }),
      pod({ name: 'b', labels: { app: 'web' } }),
      pod({ name: 'c', readySinceMs: null }),
      pod({ name: 'd', deletingAtMs: T0 + 1 }),
      pod({ name: 'e', phase: 'Succeeded' }),
    ];
    const [write] = ofType(run(rs, pods).actions, 'updateStatus');
    expect((write?.object as ReplicaSet).status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 1,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 7,
    });
  });

  it('writes no status when it has not changed', () => {
    const { actions } = run(settled(replicaSet(), 3), threePods());
    expect(actions).toEqual([]);
  });

  it('writes the status when only the generation moved', () => {
    const rs = settled(replicaSet({ generation: 2 }), 3);
    const writes = ofType(run(rs, threePods()).actions, 'updateStatus');
    expect(writes.map((w) => (w.object as ReplicaSet).status?.observedGeneration)).toEqual([2]);
  });

  it('counts a pod available only after minReadySeconds, and asks to look again then', () => {
    const rs = replicaSet({ replicas: 2, minReadySeconds: 10 });
    const pods = [pod({ name: 'old', readySinceMs: T0 - 60_000 }), pod({ name: 'new', readySinceMs: T0 - 4_000 })];
    const now = run(rs, pods);
    expect((ofType(now.actions, 'updateStatus')[0]?.object as ReplicaSet).status).toMatchObject({ readyReplicas: 2, availableReplicas: 1 });
    expect(now.requeueAfterMs).toBe(6_000);
    const later = run(rs, pods, { nowMs: T0 + 6_000 });
    expect((ofType(later.actions, 'updateStatus')[0]?.object as ReplicaSet).status).toMatchObject({ availableReplicas: 2 });
    expect(later.requeueAfterMs).toBeUndefined();
  });

  it('a ready pod without a transition time is available only when minReadySeconds is 0', () => {
    const p = pod({ name: 'a' });
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    const status = (rs: ReplicaSet) => (ofType(run(rs, [p]).actions, 'updateStatus')[0]?.object as ReplicaSet).status;
    expect(status(replicaSet({ replicas: 1 }))?.availableReplicas).toBe(1);
    expect(status(replicaSet({ replicas: 1, minReadySeconds: 5 }))?.availableReplicas).toBe(0);
  });
});
