// The ReplicaSet of a Deployment's current template: found among its sets,
// or made for it.

import { API_VERSION } from '../../api/index.js';
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { controllerRefTo } from '../owner-refs.js';
import { DESIRED_REPLICAS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from './annotations.js';
import type { ReplicaSetState } from './replica-set-state.js';
import { compareOldestFirst } from './replica-set-state.js';
import { runsTemplateOf } from './template-hash.js';

/**
 * The set that runs `d`'s template, if any: the oldest such (by revision,
 * then creation) that is not being deleted. Sets are compared by template,
 * not by hash, so a set survives a change of the hash function.
 */
export function findNewReplicaSet(d: Deployment, states: readonly ReplicaSetState[]): ReplicaSetState | undefined {
  const candidates = states.filter((s) => s.rs.metadata.deletionTimestamp === undefined && runsTemplateOf(s.rs, d));
  return candidates.sort((a, b) => compareOldestFirst(a.rs, b.rs))[0];
}

/** The name of `d`'s set for a template hash. */
export function replicaSetNameFor(d: Deployment, hash: string): string {
  return `${d.metadata.name}-${hash}`;
}

/**
 * A new set for `d`'s template: named `<deployment>-<hash>`, the hash as a
 * label on the set, its selector and its template, the revision and the
 * desired replicas as annotations, `d` as its controller.
 */
export function buildNewReplicaSet(d: Deployment, hash: string, replicas: number, revision: number): ReplicaSet {
  const template = d.spec.template;
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const namespace = d.metadata.namespace;
  const minReadySeconds = d.spec.minReadySeconds;
  return {
    apiVersion: API_VERSION,
    kind: 'ReplicaSet',
    metadata: {
      name: replicaSetNameFor(d, hash),
      ...(namespace !== undefined ? { namespace } : {}),
      labels: { ...labels },
      annotations: { [REVISION_ANNOTATION]: String(revision), [DESIRED_REPLICAS_ANNOTATION]: String(d.spec.replicas ?? 1) },
      ownerReferences: [controllerRefTo(d)],
    },
    spec: {
      replicas,
      selector: {
        ...d.spec.selector,
        matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
      },
      template: { ...structuredClone(template), metadata: { ...structuredClone(template.metadata ?? {}), labels } },
      ...(minReadySeconds !== undefined ? { minReadySeconds } : {}),
    },
  };
}
