import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../../../../core/api/index.js';
import { reconcileDeployment, rolloutBudgetOf } from '../../../../../core/controllers/index.js';
import { newReplicaSetSize, oldReplicaSetSizes } from '../../../../../core/controllers/deployment/rolling-update.js';
import { deployment } from '../fixtures.js';
import { podCounts, reconcileDeploymentIn, reconcileReplicaSetsIn, runRollout, setImage, settledCluster } from './drive.js';

const counts = (replicas: number, active: number, available: number) => ({ replicas, active, available });

describe('newReplicaSetSize', () => {
  it.each<[string, number, number, ReturnType<typeof counts>, ReturnType<typeof counts>[], number]>([
    ['grows by the surge', 3, 1, counts(0, 0, 0), [counts(3, 3, 3)], 1],
    ['waits while the surge is used', 3, 1, counts(1, 1, 0), [counts(3, 3, 3)], 1],
    ['grows into room the old sets left', 3, 1, counts(1, 1, 1), [counts(2, 2, 2)], 2],
    ['counts old pods still being deleted', 3, 1, counts(1, 1, 1), [counts(2, 3, 3)], 1],
    ['never beyond desired', 3, 5, counts(0, 0, 0), [counts(1, 1, 1)], 3],
    ['shrinks to desired when above', 3, 1, counts(5, 5, 5), [], 3],
    ['cannot grow with no surge until old sets shrink', 4, 0, counts(0, 0, 0), [counts(4, 4, 4)], 0],
  ])('%s', (_, desired, surge, newRs, olds, expected) => {
    expect(newReplicaSetSize(desired, surge, newRs, olds)).toBe(expected);
  });
});

describe('oldReplicaSetSizes', () => {
  it.each<[string, number, number, ReturnType<typeof counts>, ReturnType<typeof counts>[], number[]]>([
    ['keeps every pod while nothing is spare', 3, 0, counts(1, 1, 0), [counts(3, 3, 3)], [3]],
    ['lets go of what the new set made available', 3, 0, counts(1, 1, 1), [counts(3, 3, 3)], [2]],
    ['uses the unavailability budget', 4, 1, counts(0, 0, 0), [counts(4, 4, 4)], [3]],
    ['drops unavailable old pods first, without touching availability', 3, 1, counts(2, 2, 2), [counts(2, 2, 0)], [0]],
    ['drops unavailable old pods only as far as the new set is up', 3, 0, counts(1, 1, 1), [counts(3, 3, 1)], [2]],
    ['shrinks the oldest first', 4, 2, counts(0, 0, 0), [counts(2, 2, 2), counts(2, 2, 2)], [0, 2]],
    [
      'does not let unhealthy old pods go while the new set is not coming up either',
      3,
      1,
      counts(2, 2, 0),
      [counts(3, 3, 1)],
      [2],
    ],
    ['counts an old set as keeping at most its size', 3, 0, counts(1, 1, 1), [counts(2, 3, 3)], [2]],
  ])('%s', (_, desired, maxUnavailable, newRs, olds, expected) => {
    expect(oldReplicaSetSizes(desired, maxUnavailable, newRs, olds)).toEqual(expected);
  });
});

describe('rolloutBudgetOf', () => {
  it.each<[number, number | string, number | string, { maxSurge: number; maxUnavailable: number }]>([
    [10, '25%', '25%', { maxSurge: 3, maxUnavailable: 2 }],
    [4, '25%', '25%', { maxSurge: 1, maxUnavailable: 1 }],
    [1, '25%', '25%', { maxSurge: 1, maxUnavailable: 0 }],
    [3, 0, '10%', { maxSurge: 0, maxUnavailable: 1 }], // both 0 after rounding: one may be unavailable
    [3, 2, 5, { maxSurge: 2, maxUnavailable: 3 }], // never more unavailable than replicas
    [0, '25%', '25%', { maxSurge: 0, maxUnavailable: 0 }],
  ])('%i replicas, surge %s, unavailable %s', (replicas, maxSurge, maxUnavailable, expected) => {
    expect(rolloutBudgetOf(deployment({ replicas, maxSurge, maxUnavailable }))).toEqual(expected);
  });

  it('Recreate has no budget', () => {
    expect(rolloutBudgetOf(deployment({ recreate: true }))).toEqual({ maxSurge: 0, maxUnavailable: 0 });
  });
});

describe('a rolling update, step by step', () => {
  it('replicas 3, surge 1, unavailable 0: one pod at a time, never one less', () => {
    const c = settledCluster(deployment({ replicas: 3, maxSurge: 1, maxUnavailable: 0 }));
    setImage(c, 'web:2');

    const first = reconcileDeployment(c.deployment(), c.replicaSets(), c.pods(), c.nowMs);
    const created = first.actions.filter((a) => a.type === 'create');
    expect(created).toHaveLength(1);
    expect((created[0]?.object as ReplicaSet).spec.replicas).toBe(1);
    c.apply(first.actions);
    reconcileReplicaSetsIn(c);
    c.scheduleAll();
    expect(podCounts(c).runningByImage).toEqual({ 'web:1': 3, 'web:2': 1 });

    // The new pod is not ready: nothing may move.
    const stuck = reconcileDeployment(c.deployment(), c.replicaSets(), c.pods(), c.nowMs);
    expect(stuck.actions.filter((a) => a.type === 'update')).toEqual([]);

    c.readyAll();
    reconcileDeploymentIn(c);
    const sizes = Object.fromEntries(c.replicaSets().map((rs) => [rs.spec.template.spec.containers[0]?.image, rs.spec.replicas]));
    expect(sizes).toEqual({ 'web:1': 2, 'web:2': 1 });
  });

  it.each<[number, number | string, number | string, number]>([
    [3, 1, 0, 0],
    [3, 0, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 1, 0],
    [10, '25%', '25%', 0],
    [10, '30%', 0, 0],
    [10, 0, '30%', 0],
    [5, 2, 2, 0],
    [4, '50%', '50%', 0],
    [6, 0, '10%', 0],
    [5, 1, 1, 3],
    [7, '100%', 0, 2],
  ])('replicas %i, maxSurge %s, maxUnavailable %s, minReadySeconds %i: within bounds at every step, then done', (replicas, maxSurge, maxUnavailable, minReadySeconds) => {
    const d = deployment({ replicas, maxSurge, maxUnavailable, minReadySeconds });
    const c = settledCluster(d);
    const budget = rolloutBudgetOf(d);
    setImage(c, 'web:2');
    const seen = { maxActive: 0, minAvailable: Number.POSITIVE_INFINITY };
    runRollout(c, (step) => {
      const { active, available } = podCounts(c, minReadySeconds);
      seen.maxActive = Math.max(seen.maxActive, active);
      seen.minAvailable = Math.min(seen.minAvailable, available);
      expect(active, `pods after ${step}`).toBeLessThanOrEqual(replicas + budget.maxSurge);
      expect(available, `available after ${step}`).toBeGreaterThanOrEqual(replicas - budget.maxUnavailable);
    });
    expect(podCounts(c).runningByImage).toEqual({ 'web:2': replicas });
    // The bounds are reached, not just respected: the rollout used its budget.
    expect(seen.maxActive + (replicas - seen.minAvailable)).toBeGreaterThan(replicas);
    const status = c.deployment().status;
    expect(status).toMatchObject({ replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, unavailableReplicas: 0 });
  });

  it('a second template change mid-rollout also stays within bounds and ends on the last template', () => {
    const d = deployment({ replicas: 6, maxSurge: 2, maxUnavailable: 1 });
    const c = settledCluster(d);
    setImage(c, 'web:2');
    reconcileDeploymentIn(c);
    reconcileReplicaSetsIn(c);
    c.scheduleAll();
    c.readyAll();
    reconcileDeploymentIn(c);
    reconcileReplicaSetsIn(c);
    setImage(c, 'web:3');
    runRollout(c, (step) => {
      const { active, available } = podCounts(c);
      expect(active, step).toBeLessThanOrEqual(8);
      expect(available, step).toBeGreaterThanOrEqual(5);
    });
    expect(podCounts(c).runningByImage).toEqual({ 'web:3': 6 });
    expect(c.replicaSets().map((rs) => rs.spec.replicas).sort()).toEqual([0, 0, 6]);
  });
});
