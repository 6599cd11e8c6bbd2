// `drover rollout undo`: the template of an earlier revision. The CLI
// writes it into the Deployment; the controller then rolls forward to it,
// reusing that revision's ReplicaSet under the next revision number.

import type { Deployment, PodTemplateSpec, ReplicaSet, Result } from '../../api/index.js';
import { RollbackRevisionNotFoundError } from '../errors.js';
import { isControlledBy } from '../owner-refs.js';
import { revisionOf } from './annotations.js';
import { runsTemplateOf, templateWithoutHash } from './template-hash.js';

export interface RollbackTarget {
  readonly revision: number;
  readonly replicaSetName: string;
  /** The template to write into the Deployment's spec.template (without the pod-template-hash label). */
  readonly template: PodTemplateSpec;
  /** The Deployment already runs this template: writing it changes nothing. */
  readonly isCurrent: boolean;
}

/**
 * The template to roll `deployment` back to, from its ReplicaSets (those
 * it controls; others are ignored): revision `toRevision`, or by default
 * the newest revision whose template is not the current one (the previous
 * revision). A typed error when there is no such revision.
 */
export function rollbackTarget(
  deployment: Deployment,
  replicaSets: readonly ReplicaSet[],
  toRevision?: number,
): Result<RollbackTarget, RollbackRevisionNotFoundError> {
  const owned = replicaSets
    .filter((rs) => isControlledBy(rs, deployment) && revisionOf(rs) > 0)
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  const target =
    toRevision !== undefined ? owned.find((rs) => revisionOf(rs) === toRevision) : owned.find((rs) => !runsTemplateOf(rs, deployment));
  if (target === undefined) {
    const known = owned.map(revisionOf).reverse();
    return {
      ok: false,
      error: new RollbackRevisionNotFoundError(deployment.metadata.namespace, deployment.metadata.name, toRevision, known),
    };
  }
  return {
    ok: true,
    value: {
      revision: revisionOf(target),
      replicaSetName: target.metadata.name,
      template: structuredClone(templateWithoutHash(target.spec.template)),
      isCurrent: runsTemplateOf(target, deployment),
    },
  };
}
