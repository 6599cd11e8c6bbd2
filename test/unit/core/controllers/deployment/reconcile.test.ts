import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from '../../../../../core/api/index.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  podTemplateHash,
  reconcileDeployment,
  REVISION_ANNOTATION,
  revisionOf,
} from '../../../../../core/controllers/index.js';
import type { ControllerAction } from '../../../../../core/controllers/index.js';
import { deployment, iso, T0 } from '../fixtures.js';
import { MiniCluster } from '../mini-cluster.js';
import { podCounts, reconcileDeploymentIn, reconcileReplicaSetsIn, runRollout, setImage, settledCluster } from './drive.js';

const ofType = <T extends ControllerAction['type']>(actions: readonly ControllerAction[], type: T) =>
  actions.filter((a): a is Extract<ControllerAction, { type: T }> => a.type === type);

const imageOf = (rs: ReplicaSet) => rs.spec.template.spec.containers[0]?.image;
const sizesByImage = (c: MiniCluster) => Object.fromEntries(c.replicaSets().map((rs) => [imageOf(rs), rs.spec.replicas]));

describe('reconcileDeployment: the first ReplicaSet', () => {
  it('creates <name>-<hash> with the hash in its labels, selector and template, revision 1, owned by the deployment', () => {
    const d = deployment({ replicas: 3 });
    const { actions } = reconcileDeployment(d, [], [], T0);
    const hash = podTemplateHash(d.spec.template);
    const [create] = ofType(actions, 'create');
    const rs = create?.object as ReplicaSet;
    expect(rs.metadata).toEqual({
      name: `web-${hash}`,
      namespace: 'default',
      labels: { app: 'web', 'pod-template-hash': hash },
      annotations: { [REVISION_ANNOTATION]: '1', [DESIRED_REPLICAS_ANNOTATION]: '3' },
      ownerReferences: [{ apiVersion: 'drover/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(rs.spec.replicas).toBe(3);
    expect(rs.spec.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs.spec.template.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.template.spec).toEqual(d.spec.template.spec);
  });

  it('writes the revision onto the deployment with its status, in one update', () => {
    const { actions } = reconcileDeployment(deployment(), [], [], T0);
    const writes = actions.filter((a) => a.type === 'update' || a.type === 'updateStatus');
    expect(writes).toHaveLength(1);
    const d = writes[0]?.object as Deployment;
    expect(writes[0]?.type).toBe('update');
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('1');
    expect(d.status?.observedGeneration).toBe(1);
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "web-${podTemplateHash(d.spec.template)}"`,
      lastUpdateTime: iso(T0),
      lastTransitionTime: iso(T0),
    });
  });

  it('rolls out, then reports complete and writes nothing more', () => {
    const c = settledCluster(deployment({ replicas: 3 }));
    const d = c.deployment();
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 });
    expect(d.status?.conditions?.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const again = reconcileDeployment(d, c.replicaSets(), c.pods(), c.nowMs + 5_000);
    expect(again.actions).toEqual([]);
    expect(again.requeueAfterMs).toBeUndefined();
  });
});

describe('reconcileDeployment: claiming ReplicaSets', () => {
  function orphanSet(labels: Record<string, string>): ReplicaSet {
    const d = deployment();
    return {
      apiVersion: 'drover/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'stray', namespace: 'default', uid: 'stray-uid', resourceVersion: '9', labels },
      spec: { replicas: 0, selector: { matchLabels: labels }, template: { ...d.spec.template, metadata: { labels } } },
    };
  }

  it('adopts a matching orphan set at the version read', () => {
    const { actions } = reconcileDeployment(deployment(), [orphanSet({ app: 'web', v: 'old' })], [], T0);
    const updates = ofType(actions, 'update').filter((a) => a.object.kind === 'ReplicaSet');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.object.metadata).toMatchObject({ name: 'stray', resourceVersion: '9' });
    expect(updates[0]?.object.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', uid: 'dep-uid', controller: true });
  });

  it('releases an owned set the selector no longer matches', () => {
    const rs = orphanSet({ app: 'db' });
    rs.metadata.ownerReferences = [{ apiVersion: 'drover/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true }];
    const updates = ofType(reconcileDeployment(deployment(), [rs], [], T0).actions, 'update').filter((a) => a.object.kind === 'ReplicaSet');
    expect(updates.map((u) => u.object.metadata.ownerReferences)).toEqual([undefined]);
  });
});

describe('reconcileDeployment: hash collisions', () => {
  it('bumps collisionCount when the name is taken by another template, then creates under the next name', () => {
    const d = deployment();
    const hash = podTemplateHash(d.spec.template);
    const squatter: ReplicaSet = {
      apiVersion: 'drover/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: 'default', uid: 'other', resourceVersion: '2', labels: { app: 'other' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } }, spec: d.spec.template.spec } },
    };
    const first = reconcileDeployment(d, [squatter], [], T0);
    expect(ofType(first.actions, 'create')).toEqual([]);
    expect(first.requeueAfterMs).toBe(0);
    const [write] = first.actions.filter((a) => a.type === 'updateStatus' || a.type === 'update');
    const bumped = write?.object as Deployment;
    expect(bumped.status?.collisionCount).toBe(1);

    const second = reconcileDeployment(bumped, [squatter], [], T0);
    const [create] = ofType(second.actions, 'create');
    expect(create?.object.metadata.name).toBe(`web-${podTemplateHash(d.spec.template, 1)}`);
    expect(create?.object.metadata.name).not.toBe(squatter.metadata.name);
  });
});

describe('reconcileDeployment: Recreate', () => {
  it('stops every old pod before it starts one new pod', () => {
    const c = settledCluster(deployment({ replicas: 3, recreate: true }));
    setImage(c, 'web:2');

    reconcileDeploymentIn(c);
    expect(sizesByImage(c)).toEqual({ 'web:1': 0 });
    reconcileReplicaSetsIn(c); // the old pods become terminating
    expect(podCounts(c).runningByImage).toEqual({ 'web:1': 3 });

    // Terminating pods still run: no new set yet.
    reconcileDeploymentIn(c);
    expect(c.replicaSets()).toHaveLength(1);

    c.removeTerminating();
    reconcileDeploymentIn(c);
    expect(sizesByImage(c)).toEqual({ 'web:1': 0, 'web:2': 3 });

    runRollout(c, (step) => {
      const running = podCounts(c).runningByImage;
      expect((running['web:1'] ?? 0) > 0 && (running['web:2'] ?? 0) > 0, `both versions run after ${step}`).toBe(false);
    });
    expect(podCounts(c).runningByImage).toEqual({ 'web:2': 3 });
  });

  it('Available needs every replica (no unavailability budget)', () => {
    const c = settledCluster(deployment({ replicas: 2, recreate: true }));
    const p = c.pods()[0];
    if (p === undefined) throw new Error('no pod');
    c.write({ ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False' }] } });
    reconcileDeploymentIn(c);
    expect(c.deployment().status?.conditions?.find((x) => x.type === 'Available')?.status).toBe('False');
  });
});

describe('reconcileDeployment: pause, resume, scale', () => {
  it('paused: a template change rolls nothing out, and the status says paused', () => {
    const c = settledCluster(deployment({ replicas: 3 }));
    const d = c.deployment();
    d.spec.paused = true;
    c.write(d);
    setImage(c, 'web:2');
    for (let i = 0; i < 3; i++) {
      reconcileDeploymentIn(c);
      reconcileReplicaSetsIn(c);
    }
    expect(sizesByImage(c)).toEqual({ 'web:1': 3 });
    expect(c.deployment().status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    expect(c.deployment().status).toMatchObject({ replicas: 3, updatedReplicas: 0, availableReplicas: 3 });
  });

  it('paused: a change of replicas still scales the running set', () => {
    const c = settledCluster(deployment({ replicas: 3 }));
    const d = c.deployment();
    d.spec.paused = true;
    d.spec.replicas = 5;
    c.write(d);
    reconcileDeploymentIn(c);
    expect(sizesByImage(c)).toEqual({ 'web:1': 5 });
    expect(c.replicaSets()[0]?.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]).toBe('5');
  });

  it('paused mid-rollout: scaling keeps the proportions of the sets', () => {
    const c = settledCluster(deployment({ replicas: 4, maxSurge: 2, maxUnavailable: 0 }));
    setImage(c, 'web:2');
    reconcileDeploymentIn(c); // new set at 2 (the surge)
    expect(sizesByImage(c)).toEqual({ 'web:1': 4, 'web:2': 2 });
    const d = c.deployment();
    d.spec.paused = true;
    d.spec.replicas = 8; // surge 2 stays 2: 10 pods in all, split 4:2
    c.write(d);
    reconcileDeploymentIn(c);
    // 4 and 2 of 6 scaled to 10: 6.67 and 3.33, the rounding to the larger remainder.
    expect(sizesByImage(c)).toEqual({ 'web:1': 7, 'web:2': 3 });
  });

  it('resume: the rollout proceeds, Progressing goes through DeploymentResumed', () => {
    const c = settledCluster(deployment({ replicas: 2 }));
    const paused = c.deployment();
    paused.spec.paused = true;
    c.write(paused);
    reconcileDeploymentIn(c);
    const resumed = c.deployment();
    resumed.spec.paused = false;
    c.write(resumed);
    reconcileDeploymentIn(c);
    expect(c.deployment().status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentResumed' });
    setImage(c, 'web:2');
    runRollout(c);
    expect(podCounts(c).runningByImage).toEqual({ 'web:2': 2 });
    expect(c.deployment().status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it('scaling (not paused) resizes the single set at once, then the rollout logic has nothing to do', () => {
    const c = settledCluster(deployment({ replicas: 3 }));
    const d = c.deployment();
    d.spec.replicas = 1;
    c.write(d);
    const { actions } = reconcileDeploymentIn(c);
    expect(sizesByImage(c)).toEqual({ 'web:1': 1 });
    expect(ofType(actions, 'event').map((e) => e.message)).toEqual([expect.stringMatching(/^Scaled down replica set web-\w+ from 3 to 1$/)]);
  });
});

describe('reconcileDeployment: revision history', () => {
  function withRevisions(limit: number, images: string[]): MiniCluster {
    const c = settledCluster(deployment({ replicas: 1, revisionHistoryLimit: limit, maxSurge: 1, maxUnavailable: 0 }));
    for (const image of images) {
      setImage(c, image);
      runRollout(c);
    }
    return c;
  }

  it('keeps at most revisionHistoryLimit old sets, deleting the oldest', () => {
    const c = withRevisions(2, ['web:2', 'web:3', 'web:4', 'web:5']);
    const revisions = c.replicaSets().map((rs) => [revisionOf(rs), imageOf(rs), rs.spec.replicas]).sort();
    expect(revisions).toEqual([
      [3, 'web:3', 0],
      [4, 'web:4', 0],
      [5, 'web:5', 1],
    ]);
  });

  it('a limit of 0 keeps no old set', () => {
    const c = withRevisions(0, ['web:2']);
    expect(c.replicaSets().map(imageOf)).toEqual(['web:2']);
  });

  it('deletes at the version read', () => {
    const c = withRevisions(5, ['web:2']);
    const d = c.deployment();
    d.spec.revisionHistoryLimit = 0;
    const { actions } = reconcileDeployment(d, c.replicaSets(), c.pods(), c.nowMs);
    const old = c.replicaSets().find((rs) => imageOf(rs) === 'web:1');
    expect(ofType(actions, 'delete')).toEqual([
      { type: 'delete', kind: 'ReplicaSet', namespace: 'default', name: old?.metadata.name, uid: old?.metadata.uid, resourceVersion: old?.metadata.resourceVersion },
    ]);
  });
});

describe('reconcileDeployment: progress deadline', () => {
  it('reports ProgressDeadlineExceeded once no pod moved for progressDeadlineSeconds, and requeues for it', () => {
    const c = settledCluster(deployment({ replicas: 2, maxSurge: 1, maxUnavailable: 0, progressDeadlineSeconds: 30 }));
    setImage(c, 'web:2');
    reconcileDeploymentIn(c);
    reconcileReplicaSetsIn(c);
    c.scheduleAll(); // the new pod starts but never becomes ready
    const started = c.nowMs;
    const waiting = reconcileDeploymentIn(c);
    expect(waiting.requeueAfterMs).toBe(30_000);
    c.tick(10_000);
    expect(reconcileDeploymentIn(c).requeueAfterMs).toBe(20_000);
    expect(c.deployment().status?.conditions?.find((x) => x.type === 'Progressing')?.reason).toBe('ReplicaSetUpdated');

    c.nowMs = started + 30_000;
    reconcileDeploymentIn(c);
    const progressing = c.deployment().status?.conditions?.find((x) => x.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', lastTransitionTime: iso(c.nowMs) });
    expect(progressing?.message).toMatch(/^ReplicaSet "web-\w+" has timed out progressing\.$/);

    // Progress again: back to True.
    c.readyAll();
    reconcileDeploymentIn(c);
    expect(c.deployment().status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
  });
});

describe('reconcileDeployment: conditions', () => {
  it("keeps a condition's lastTransitionTime while its status holds, and moves lastUpdateTime with its reason", () => {
    const c = settledCluster(deployment({ replicas: 2 }));
    const before = c.deployment().status?.conditions?.find((x) => x.type === 'Available');
    c.tick(60_000);
    setImage(c, 'web:2');
    runRollout(c);
    const after = c.deployment().status?.conditions?.find((x) => x.type === 'Available');
    expect(after?.status).toBe('True');
    expect(after?.lastTransitionTime).toBe(before?.lastTransitionTime);
  });

  it('Available turns False when too few pods are available, with a new transition time', () => {
    const c = settledCluster(deployment({ replicas: 4, maxUnavailable: 1 }));
    for (const p of c.pods().slice(0, 2)) c.write({ ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False' }] } });
    c.tick(5_000);
    reconcileDeploymentIn(c);
    const available = c.deployment().status?.conditions?.find((x) => x.type === 'Available');
    expect(available).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', lastTransitionTime: iso(c.nowMs) });
    expect(c.deployment().status).toMatchObject({ availableReplicas: 2, unavailableReplicas: 2 });
  });
});

describe('reconcileDeployment: a Deployment being deleted', () => {
  it('creates and scales nothing', () => {
    const d = deployment();
    d.metadata.deletionTimestamp = iso(T0);
    const { actions } = reconcileDeployment(d, [], [], T0);
    expect(actions.filter((a) => a.type !== 'updateStatus')).toEqual([]);
  });
});

describe('reconcileDeployment: minReadySeconds', () => {
  it('asks to be run again when the next pod becomes available', () => {
    const c = new MiniCluster();
    c.create(deployment({ replicas: 1, minReadySeconds: 5 }));
    reconcileDeploymentIn(c);
    reconcileReplicaSetsIn(c);
    c.scheduleAll();
    c.readyAll();
    c.tick(2_000);
    expect(reconcileDeploymentIn(c).requeueAfterMs).toBe(3_000);
    expect(c.deployment().status?.availableReplicas).toBe(0);
    c.tick(3_000);
    reconcileDeploymentIn(c);
    expect(c.deployment().status?.availableReplicas).toBe(1);
  });
});
