// The pod-template hash: names a Deployment's ReplicaSet after its template.

import type { Deployment, PodTemplateSpec, ReplicaSet } from '../../api/index.js';
import { canonicalJson } from '../canonical-json.js';
import { POD_TEMPLATE_HASH_LABEL } from './annotations.js';

const FNV_OFFSET_32 = 0x811c9dc5;
const FNV_PRIME_32 = 0x01000193;

/** FNV-1a over the UTF-16 code units of `text`, as an unsigned 32-bit integer. */
function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_32;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME_32);
  }
  return hash >>> 0;
}

/** Seven characters cover every 32-bit value in base 36. */
const HASH_WIDTH = 7;

/**
 * The hash of a pod template: lowercase alphanumeric, 7 characters, stable
 * across processes and key orders (it hashes the template's canonical JSON,
 * without any pod-template-hash label). A `collisionCount` (the
 * Deployment's status.collisionCount) is hashed in too, so bumping it gives
 * a new name when two templates hash alike.
 */
export function podTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  const text = canonicalJson(templateWithoutHash(template)) + (collisionCount !== undefined ? `#${collisionCount}` : '');
  return fnv1a32(text).toString(36).padStart(HASH_WIDTH, '0');
}

/**
 * The template without the pod-template-hash label, and without empty
 * labels, annotations or metadata left behind: the form that is hashed and
 * compared, so `metadata: {}` and no metadata are the same template.
 */
export function templateWithoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = Object.entries(template.metadata?.labels ?? {}).filter(([k]) => k !== POD_TEMPLATE_HASH_LABEL);
  const annotations = Object.entries(template.metadata?.annotations ?? {});
  const metadata = {
    ...(labels.length > 0 ? { labels: Object.fromEntries(labels) } : {}),
    ...(annotations.length > 0 ? { annotations: Object.fromEntries(annotations) } : {}),
  };
  return { ...(Object.keys(metadata).length > 0 ? { metadata } : {}), spec: template.spec };
}

/** Whether a ReplicaSet runs the Deployment's current template (ignoring the hash label). */
export function runsTemplateOf(rs: ReplicaSet, deployment: Deployment): boolean {
  return canonicalJson(templateWithoutHash(rs.spec.template)) === canonicalJson(templateWithoutHash(deployment.spec.template));
}
