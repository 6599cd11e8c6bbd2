// `drover rollout status`: is the rollout done, and a line saying where it is.

import type { Deployment, ReplicaSet } from '../../api/index.js';
import { findCondition } from '../conditions.js';
import { isControlledBy } from '../owner-refs.js';
import { desiredReplicasOf } from './rollout-params.js';
import { PROGRESSING_REASONS } from './status.js';
import { runsTemplateOf } from './template-hash.js';

export type RolloutStatus =
  | { readonly type: 'done'; readonly message: string }
  /** Still rolling out (or waiting to be resumed, or for the controller to see the change). */
  | { readonly type: 'waiting'; readonly message: string }
  /** The progress deadline passed: the rollout is stuck and will not finish by itself. */
  | { readonly type: 'failed'; readonly message: string };

/**
 * Where the rollout of `deployment` stands, from its status and its
 * ReplicaSets (those it controls; used to tell a paused rollout from one
 * that has not started):
 * `Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...`,
 * `deployment "web" successfully rolled out`.
 */
export function rolloutStatus(deployment: Deployment, replicaSets: readonly ReplicaSet[]): RolloutStatus {
  const name = deployment.metadata.name;
  const status = deployment.status;
  const generation = deployment.metadata.generation ?? 0;
  if ((status?.observedGeneration ?? 0) < generation) {
    return { type: 'waiting', message: `Waiting for deployment "${name}" spec update to be observed...` };
  }
  if (findCondition(status?.conditions, 'Progressing')?.reason === PROGRESSING_REASONS.progressDeadlineExceeded) {
    return { type: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  }
  const hasCurrentSet = replicaSets.some((rs) => isControlledBy(rs, deployment) && runsTemplateOf(rs, deployment));
  if (deployment.spec.paused === true && !hasCurrentSet) {
    return { type: 'waiting', message: `Waiting for deployment "${name}" to be resumed: its template has not rolled out...` };
  }
  const desired = desiredReplicasOf(deployment);
  const replicas = status?.replicas ?? 0;
  const updated = status?.updatedReplicas ?? 0;
  const available = status?.availableReplicas ?? 0;
  const waiting = (what: string): RolloutStatus => ({
    type: 'waiting',
    message: `Waiting for deployment "${name}" rollout to finish: ${what}...`,
  });
  if (updated < desired) return waiting(`${updated} out of ${desired} new replicas have been updated`);
  if (replicas > updated) return waiting(`${replicas - updated} old replicas are pending termination`);
  if (available < updated) return waiting(`${available} of ${updated} updated replicas are available`);
  return { type: 'done', message: `deployment "${name}" successfully rolled out` };
}
