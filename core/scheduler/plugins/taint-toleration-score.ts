// Score: prefer nodes with fewer PreferNoSchedule taints the pod does not
// tolerate (none -> 100, the most among the candidates -> 0).

import type { Toleration } from '../../api/index.js';
import type { ScorePlugin } from '../framework.js';
import { run, SKIP } from '../framework.js';
import { normalizeReversed } from './normalize.js';
import { toleratesTaint } from './tolerations.js';

export const TAINT_PREFER_NO_SCHEDULE = 'taint-prefer-no-schedule';

interface State {
  /** The pod's tolerations that can match a PreferNoSchedule taint. */
  readonly tolerations: readonly Toleration[];
}

export const taintTolerationScore = {
  name: TAINT_PREFER_NO_SCHEDULE,
  weight: 3,
  preScore(pod, snapshot) {
    if (snapshot.nodesWithPreferNoScheduleTaintsCount === 0) return SKIP;
    const tolerations = (pod.pod.spec.tolerations ?? []).filter((t) => t.effect === undefined || t.effect === 'PreferNoSchedule');
    return run({ tolerations });
  },
  score(state, _pod, node) {
    let untolerated = 0;
    for (const taint of node.preferNoScheduleTaints) {
      if (!state.tolerations.some((t) => toleratesTaint(t, taint))) untolerated++;
    }
    return untolerated;
  },
  normalize(_state, scores, count) {
    normalizeReversed(scores, count);
  },
} satisfies ScorePlugin<State>;
