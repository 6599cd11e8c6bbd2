// Score: the weights of the pod's preferred node affinity terms the node
// matches, summed, then scaled so the best node scores 100.

import type { ScorePlugin } from '../framework.js';
import { run, SKIP } from '../framework.js';
import type { CompiledTerm } from './node-selector-match.js';
import { compileTerm, termMatches } from './node-selector-match.js';
import { normalizeByMax } from './normalize.js';

export const NODE_AFFINITY_PREFERRED = 'node-affinity-preferred';

interface State {
  readonly terms: readonly { readonly weight: number; readonly term: CompiledTerm }[];
}

export const nodeAffinityScore = {
  name: NODE_AFFINITY_PREFERRED,
  weight: 2,
  preScore(pod) {
    const preferred = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (preferred.length === 0) return SKIP;
    return run({ terms: preferred.map((p) => ({ weight: p.weight, term: compileTerm(p.preference) })) });
  },
  score(state, _pod, node) {
    let sum = 0;
    for (const { weight, term } of state.terms) {
      if (termMatches(term, node)) sum += weight;
    }
    return sum;
  },
  normalize(_state, scores, count) {
    normalizeByMax(scores, count);
  },
} satisfies ScorePlugin<State>;
