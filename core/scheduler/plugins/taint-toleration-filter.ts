// Filter: the pod tolerates every NoSchedule and NoExecute taint of the node.
// PreferNoSchedule taints only lower a node's score (taint-toleration-score.ts).

import type { Toleration } from '../../api/index.js';
import type { FilterPlugin } from '../framework.js';
import { run } from '../framework.js';
import { SUCCESS, unschedulable } from '../status.js';
import { firstUntoleratedTaint, formatTaint } from './tolerations.js';

export const TAINT_TOLERATION = 'taint-toleration';

/** The reason every untolerated node shares; the status's detail names the taint. */
export const TAINT_NOT_TOLERATED = 'taint not tolerated';

interface State {
  readonly tolerations: readonly Toleration[];
}

export const taintTolerationFilter = {
  name: TAINT_TOLERATION,
  preFilter(pod) {
    return run({ tolerations: pod.pod.spec.tolerations ?? [] });
  },
  filter(state, _pod, node) {
    if (node.hardTaints.length === 0) return SUCCESS;
    const taint = firstUntoleratedTaint(state.tolerations, node.hardTaints);
    if (taint === undefined) return SUCCESS;
    return unschedulable(TAINT_TOLERATION, TAINT_NOT_TOLERATED, `taint ${formatTaint(taint)}`);
  },
} satisfies FilterPlugin<State>;
