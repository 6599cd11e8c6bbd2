// The labels and annotations the Deployment controller writes on its
// ReplicaSets (and the revision on the Deployment itself).

import type { Deployment, ReplicaSet } from '../../api/index.js';

/** Label on a Deployment's ReplicaSets, their selectors and their pods: the hash of the pod template. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Annotation on each ReplicaSet (and the Deployment): the rollout number of its template, a positive integer. */
export const REVISION_ANNOTATION = 'deployment.drover.io/revision';

/**
 * Annotation on each ReplicaSet: the Deployment's `spec.replicas` when the
 * controller last sized the set. A set whose value differs from the current
 * one tells the controller that the Deployment was scaled.
 */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.drover.io/desired-replicas';

function nonNegativeIntOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The revision of a ReplicaSet or Deployment; 0 when absent or malformed. */
export function revisionOf(obj: ReplicaSet | Deployment): number {
  return nonNegativeIntOf(obj.metadata.annotations?.[REVISION_ANNOTATION]) ?? 0;
}

/** The Deployment replicas a ReplicaSet was last sized for, if recorded. */
export function desiredReplicasOf(rs: ReplicaSet): number | undefined {
  return nonNegativeIntOf(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]);
}
