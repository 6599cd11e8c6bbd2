// Drives the Deployment and ReplicaSet reconciles over a MiniCluster, round
// by round, as their drivers would, and measures what the pods do.

import type { Deployment, Pod, ReplicaSet } from '../../../../../core/api/index.js';
import {
  isActive,
  isAvailable,
  isFinished,
  reconcileDeployment,
  reconcileReplicaSet,
  rolloutStatus,
} from '../../../../../core/controllers/index.js';
import type { ReconcileResult } from '../../../../../core/controllers/index.js';
import { MiniCluster } from '../mini-cluster.js';

export function reconcileDeploymentIn(c: MiniCluster, name = 'web'): ReconcileResult {
  const result = reconcileDeployment(c.deployment(name), c.replicaSets(), c.pods(), c.nowMs);
  c.apply(result.actions);
  return result;
}

/** Reconciles one ReplicaSet (by name) from a fresh view. */
export function reconcileReplicaSetIn(c: MiniCluster, name: string): ReconcileResult | undefined {
  const rs = c.get<ReplicaSet>('ReplicaSet', name);
  if (rs === undefined) return undefined;
  const result = reconcileReplicaSet(structuredClone(rs), c.pods(), c.nowMs, { newSuffix: c.newSuffix });
  c.apply(result.actions);
  return result;
}

export function reconcileReplicaSetsIn(c: MiniCluster): void {
  for (const rs of c.replicaSets()) reconcileReplicaSetIn(c, rs.metadata.name);
}

export interface PodCounts {
  /** Neither terminating nor finished. */
  readonly active: number;
  /** Active and ready for minReadySeconds. */
  readonly available: number;
  /** Not finished, terminating included, by the image they run. */
  readonly runningByImage: Readonly<Record<string, number>>;
}

export function podCounts(c: MiniCluster, minReadySeconds = 0): PodCounts {
  const pods: Pod[] = c.pods();
  const runningByImage: Record<string, number> = {};
  for (const p of pods) {
    if (isFinished(p)) continue;
    const image = p.spec.containers[0]?.image ?? '?';
    runningByImage[image] = (runningByImage[image] ?? 0) + 1;
  }
  return {
    active: pods.filter(isActive).length,
    available: pods.filter((p) => isActive(p) && isAvailable(p, minReadySeconds, c.nowMs)).length,
    runningByImage,
  };
}

export function isRolledOut(c: MiniCluster, name = 'web'): boolean {
  const d = c.deployment(name);
  return rolloutStatus(d, c.replicaSets()).type === 'done' && c.pods().every((p) => isActive(p) && p.spec.containers[0]?.image === d.spec.template.spec.containers[0]?.image);
}

/** Changes the Deployment's image (a new template), as `drover set image` would. */
export function setImage(c: MiniCluster, image: string, name = 'web'): Deployment {
  const d = c.deployment(name);
  const container = d.spec.template.spec.containers[0];
  if (container === undefined) throw new Error('no container');
  container.image = image;
  return c.write(d);
}

/**
 * Runs whole rounds (Deployment, then every ReplicaSet, then the agents:
 * schedule, ready, finish terminating pods, one second passes) until the
 * rollout is done, calling `check` after every step. Returns the rounds run.
 */
export function runRollout(c: MiniCluster, check: (step: string) => void = () => {}, maxRounds = 200, name = 'web'): number {
  for (let round = 1; round <= maxRounds; round++) {
    reconcileDeploymentIn(c, name);
    check('deployment');
    reconcileReplicaSetsIn(c);
    check('replicasets');
    c.scheduleAll();
    check('schedule');
    c.readyAll();
    c.tick(1_000);
    check('ready');
    c.removeTerminating();
    check('terminated');
    if (isRolledOut(c, name)) {
      reconcileDeploymentIn(c, name); // the status catches up with the last pods
      return round;
    }
  }
  throw new Error(`not rolled out after ${maxRounds} rounds: ${JSON.stringify(c.deployment(name).status)}`);
}

/** A cluster with `d` created and fully rolled out. */
export function settledCluster(d: Deployment): MiniCluster {
  const c = new MiniCluster();
  c.create(d);
  runRollout(c);
  return c;
}
