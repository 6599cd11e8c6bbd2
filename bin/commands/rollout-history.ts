// `drover rollout history deployment/web`: the revisions a Deployment can go
// back to, from the ReplicaSets it controls; `--revision=N` shows one.
import { stringify } from 'yaml';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../../core/api/index.js';
import { isControlledBy, POD_TEMPLATE_HASH_LABEL, revisionOf, runsTemplateOf } from '../../core/controllers/index.js';
import { formatTable } from './table.js';

/** Annotation on a Deployment (and its ReplicaSets) saying why its template changed, shown by `rollout history`. */
export const CHANGE_CAUSE_ANNOTATION = 'drover.io/change-cause';

export interface HistoryEntry {
  readonly revision: number;
  /** Why this revision was made, if anyone said. */
  readonly changeCause?: string;
  readonly replicaSet: ReplicaSet;
}

/**
 * The Deployment's revisions, oldest first: one per ReplicaSet it controls
 * that carries a revision. A revision's change cause is its set's
 * annotation; the current revision falls back to the Deployment's own,
 * which is where users write it.
 */
export function rolloutHistory(deployment: Deployment, replicaSets: readonly ReplicaSet[]): HistoryEntry[] {
  return replicaSets
    .filter((rs) => isControlledBy(rs, deployment) && revisionOf(rs) > 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b))
    .map((rs) => {
      const cause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? (runsTemplateOf(rs, deployment) ? deployment.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] : undefined);
      return { revision: revisionOf(rs), ...(cause !== undefined ? { changeCause: cause } : {}), replicaSet: rs };
    });
}

/** `deployment/web`, then a REVISION / CHANGE-CAUSE table. */
export function formatHistory(deployment: Deployment, entries: readonly HistoryEntry[]): string {
  const head = `deployment/${deployment.metadata.name}`;
  if (entries.length === 0) return `${head}\nNo rollout history found.`;
  return `${head}\n${formatTable(['REVISION', 'CHANGE-CAUSE'], entries.map((e) => [String(e.revision), e.changeCause ?? '<none>']))}`;
}

/** The pod template of one revision, without the pod-template-hash label the controller adds; undefined if there is no such revision. */
export function revisionTemplate(entries: readonly HistoryEntry[], revision: number): PodTemplateSpec | undefined {
  const template = entries.find((e) => e.revision === revision)?.replicaSet.spec.template;
  if (template === undefined) return undefined;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = template.metadata?.labels ?? {};
  const { labels: _labels, ...others } = template.metadata ?? {};
  const metadata = { ...others, ...(Object.keys(labels).length > 0 ? { labels } : {}) };
  return { ...(Object.keys(metadata).length > 0 ? { metadata } : {}), spec: template.spec };
}

/** `deployment/web with revision #2`, then that revision's pod template as YAML. */
export function formatRevision(deployment: Deployment, revision: number, template: PodTemplateSpec): string {
  const body = stringify(template).trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
  return `deployment/${deployment.metadata.name} with revision #${revision}\nPod Template:\n${body}`;
}
