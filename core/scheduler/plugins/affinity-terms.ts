// Pod affinity terms against the pods of the cluster: which pods a term
// selects, and in which topology domains (values of the term's topologyKey
// on the nodes) such pods run.

import { matches } from '../../api/index.js';
import type { LabelSelector } from '../../api/index.js';
import type { NodeInfo } from '../node-info.js';
import type { AffinityTerm, PodInfo } from '../pod-info.js';
import type { ClusterSnapshot } from '../snapshot.js';

/** The term selects the pod: the pod is in one of its namespaces and its labels match. */
export function termSelectsPod(term: AffinityTerm, pod: PodInfo): boolean {
  return term.namespaces.has(pod.namespace) && matches(term.selector, pod.labels);
}

/**
 * False when no pod on the node can match the selector, judged from the
 * node's label index alone (matchLabels, In and Exists need a label some pod
 * here carries). True means "look at the pods".
 */
export function nodeMayHoldMatchingPods(node: NodeInfo, selector: LabelSelector): boolean {
  if (node.podCount === 0) return false;
  if (selector.matchLabels !== undefined) {
    for (const key in selector.matchLabels) {
      if (!Object.hasOwn(selector.matchLabels, key)) continue;
      const values = node.podLabelValues(key);
      if (values === undefined || !values.has(selector.matchLabels[key] ?? '')) return false;
    }
  }
  for (const r of selector.matchExpressions ?? []) {
    if (r.operator === 'Exists') {
      if (node.podLabelValues(r.key) === undefined) return false;
    } else if (r.operator === 'In') {
      const values = node.podLabelValues(r.key);
      if (values === undefined || !(r.values ?? []).some((v) => values.has(v))) return false;
    }
  }
  return true;
}

/** Pods on the node the term selects. */
export function countSelectedPods(term: AffinityTerm, node: NodeInfo): number {
  if (!nodeMayHoldMatchingPods(node, term.selector)) return 0;
  let n = 0;
  for (const pod of node.pods.values()) {
    if (termSelectsPod(term, pod)) n++;
  }
  return n;
}

function holdsSelectedPod(term: AffinityTerm, node: NodeInfo): boolean {
  if (!nodeMayHoldMatchingPods(node, term.selector)) return false;
  for (const pod of node.pods.values()) {
    if (termSelectsPod(term, pod)) return true;
  }
  return false;
}

/** The values of term.topologyKey over the nodes where some pod the term selects runs (bound or assumed). */
export function domainsWithSelectedPods(term: AffinityTerm, snapshot: ClusterSnapshot): Set<string> {
  const domains = new Set<string>();
  for (const node of snapshot.nodeInfos) {
    const value = node.labelValue(term.topologyKey);
    if (value === undefined || domains.has(value)) continue;
    if (holdsSelectedPod(term, node)) domains.add(value);
  }
  return domains;
}
