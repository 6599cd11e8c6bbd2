// Score: preferred pod affinity and anti-affinity. For each of the pod's
// preferred terms, every pod the term selects adds (affinity) or takes away
// (anti-affinity) the term's weight from each node in its topology domain;
// the sums are then scaled to 0-100 between the worst and the best node.
// Only the incoming pod's terms count, not those of pods already placed.

import type { ScorePlugin } from '../framework.js';
import { run, SKIP } from '../framework.js';
import type { WeightedAffinityTerm } from '../pod-info.js';
import type { ClusterSnapshot } from '../snapshot.js';
import { countSelectedPods } from './affinity-terms.js';
import { normalizeMinMax } from './normalize.js';

export const POD_AFFINITY_PREFERRED = 'pod-affinity-preferred';

interface DomainScores {
  readonly topologyKey: string;
  /** Topology value -> the weighted sum for nodes with that value. */
  readonly byValue: ReadonlyMap<string, number>;
}

interface State {
  readonly domains: readonly DomainScores[];
}

function addTerm(byKey: Map<string, Map<string, number>>, term: WeightedAffinityTerm, sign: 1 | -1, snapshot: ClusterSnapshot): void {
  for (const node of snapshot.nodeInfos) {
    const value = node.labelValue(term.topologyKey);
    if (value === undefined) continue;
    const selected = countSelectedPods(term, node);
    if (selected === 0) continue;
    let byValue = byKey.get(term.topologyKey);
    if (byValue === undefined) byKey.set(term.topologyKey, (byValue = new Map()));
    byValue.set(value, (byValue.get(value) ?? 0) + sign * term.weight * selected);
  }
}

export const podAffinityScore = {
  name: POD_AFFINITY_PREFERRED,
  weight: 2,
  preScore(pod, snapshot) {
    if (pod.preferredAffinityTerms.length === 0 && pod.preferredAntiAffinityTerms.length === 0) return SKIP;
    const byKey = new Map<string, Map<string, number>>();
    for (const term of pod.preferredAffinityTerms) addTerm(byKey, term, 1, snapshot);
    for (const term of pod.preferredAntiAffinityTerms) addTerm(byKey, term, -1, snapshot);
    if (byKey.size === 0) return SKIP; // no pod selected anywhere: every node scores the same
    return run({ domains: [...byKey].map(([topologyKey, byValue]) => ({ topologyKey, byValue })) });
  },
  score(state, _pod, node) {
    let sum = 0;
    for (const { topologyKey, byValue } of state.domains) {
      const value = node.labelValue(topologyKey);
      if (value !== undefined) sum += byValue.get(value) ?? 0;
    }
    return sum;
  },
  normalize(_state, scores, count) {
    normalizeMinMax(scores, count);
  },
} satisfies ScorePlugin<State>;
