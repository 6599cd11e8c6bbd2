// Filter: the node carries every label of the pod's nodeSelector and matches
// one of the terms of its required node affinity.

import type { FilterPlugin } from '../framework.js';
import { run, SKIP } from '../framework.js';
import { SUCCESS, unschedulable } from '../status.js';
import type { CompiledTerm } from './node-selector-match.js';
import { anyTermMatches, compileTerm } from './node-selector-match.js';

export const NODE_AFFINITY = 'node-affinity';

const MISMATCH = unschedulable(NODE_AFFINITY, "node didn't match the pod's node selector/affinity");

interface State {
  readonly selector: readonly (readonly [string, string])[];
  /** Undefined: no required node affinity. */
  readonly terms: readonly CompiledTerm[] | undefined;
}

export const nodeAffinityFilter = {
  name: NODE_AFFINITY,
  preFilter(pod) {
    const selector = Object.entries(pod.pod.spec.nodeSelector ?? {});
    const required = pod.pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (selector.length === 0 && required === undefined) return SKIP;
    return run({ selector, terms: required?.nodeSelectorTerms.map(compileTerm) });
  },
  filter(state, _pod, node) {
    for (const [key, value] of state.selector) {
      if (node.labelValue(key) !== value) return MISMATCH;
    }
    if (state.terms !== undefined && !anyTermMatches(state.terms, node)) return MISMATCH;
    return SUCCESS;
  },
} satisfies FilterPlugin<State>;
