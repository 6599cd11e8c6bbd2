// Filter: required pod affinity and anti-affinity, by topology domain (the
// value of a term's topologyKey label on a node).
//
//   affinity       - for each of the pod's terms, the node's domain holds a
//                    pod the term selects; a node without the topology label
//                    does not match. Exception: when no pod anywhere matches
//                    any term and the pod matches all its own terms, it is
//                    the first of its group and may go to any node that has
//                    the labels (else such groups could never start).
//   anti-affinity  - for each of the pod's terms, the node's domain holds no
//                    pod the term selects; a node without the label passes.
//   existing pods' - no pod already placed has a required anti-affinity term
//   anti-affinity    that selects this pod, in the node's domain of that term.

import type { FilterPlugin } from '../framework.js';
import { run, SKIP } from '../framework.js';
import type { AffinityTerm } from '../pod-info.js';
import { SUCCESS, unschedulable } from '../status.js';
import { domainsWithSelectedPods, termSelectsPod } from './affinity-terms.js';

export const POD_AFFINITY = 'pod-affinity';

const AFFINITY_MISMATCH = unschedulable(POD_AFFINITY, "node didn't match pod affinity rules");
const ANTI_AFFINITY_MISMATCH = unschedulable(POD_AFFINITY, "node didn't match pod anti-affinity rules");
const EXISTING_ANTI_AFFINITY = unschedulable(POD_AFFINITY, "node didn't satisfy existing pods' anti-affinity rules");

interface ForbiddenDomains {
  readonly topologyKey: string;
  readonly values: ReadonlySet<string>;
}

interface State {
  readonly affinityTerms: readonly AffinityTerm[];
  /** Per affinity term: the domains holding a pod it selects. */
  readonly affinityDomains: readonly ReadonlySet<string>[];
  /** No affinity term selects any pod, and the pod matches all its terms. */
  readonly firstOfGroup: boolean;
  readonly antiAffinityTerms: readonly AffinityTerm[];
  /** Per anti-affinity term: the domains holding a pod it selects. */
  readonly antiAffinityDomains: readonly ReadonlySet<string>[];
  /** Domains that placed pods' anti-affinity terms keep this pod out of. */
  readonly forbiddenByExisting: readonly ForbiddenDomains[];
}

export const podAffinityFilter = {
  name: POD_AFFINITY,
  preFilter(pod, snapshot) {
    const affinityTerms = pod.requiredAffinityTerms;
    const antiAffinityTerms = pod.requiredAntiAffinityTerms;
    if (affinityTerms.length === 0 && antiAffinityTerms.length === 0 && snapshot.podsWithRequiredAntiAffinityCount === 0) {
      return SKIP;
    }
    const affinityDomains = affinityTerms.map((term) => domainsWithSelectedPods(term, snapshot));
    const firstOfGroup = affinityDomains.every((d) => d.size === 0) && affinityTerms.every((term) => termSelectsPod(term, pod));
    const antiAffinityDomains = antiAffinityTerms.map((term) => domainsWithSelectedPods(term, snapshot));

    const forbidden = new Map<string, Set<string>>();
    if (snapshot.podsWithRequiredAntiAffinityCount > 0) {
      for (const node of snapshot.nodeInfos) {
        for (const placed of node.podsWithRequiredAntiAffinity) {
          for (const term of placed.requiredAntiAffinityTerms) {
            const value = node.labelValue(term.topologyKey);
            if (value === undefined || !termSelectsPod(term, pod)) continue;
            let values = forbidden.get(term.topologyKey);
            if (values === undefined) forbidden.set(term.topologyKey, (values = new Set()));
            values.add(value);
          }
        }
      }
    }
    if (affinityTerms.length === 0 && antiAffinityTerms.length === 0 && forbidden.size === 0) return SKIP;
    return run({
      affinityTerms,
      affinityDomains,
      firstOfGroup,
      antiAffinityTerms,
      antiAffinityDomains,
      forbiddenByExisting: [...forbidden].map(([topologyKey, values]) => ({ topologyKey, values })),
    });
  },
  filter(state, _pod, node) {
    for (const { topologyKey, values } of state.forbiddenByExisting) {
      const value = node.labelValue(topologyKey);
      if (value !== undefined && values.has(value)) return EXISTING_ANTI_AFFINITY;
    }
    for (let i = 0; i < state.antiAffinityTerms.length; i++) {
      const value = node.labelValue(state.antiAffinityTerms[i]!.topologyKey);
      if (value !== undefined && state.antiAffinityDomains[i]!.has(value)) return ANTI_AFFINITY_MISMATCH;
    }
    for (let i = 0; i < state.affinityTerms.length; i++) {
      const value = node.labelValue(state.affinityTerms[i]!.topologyKey);
      if (value === undefined) return AFFINITY_MISMATCH;
      if (!state.firstOfGroup && !state.affinityDomains[i]!.has(value)) return AFFINITY_MISMATCH;
    }
    return SUCCESS;
  },
} satisfies FilterPlugin<State>;
