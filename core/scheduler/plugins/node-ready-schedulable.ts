// Filter: the node is Ready and not cordoned.

import type { FilterPlugin } from '../framework.js';
import { run } from '../framework.js';
import { SUCCESS, unschedulable } from '../status.js';
import { toleratesTaint } from './tolerations.js';

export const NODE_READY_SCHEDULABLE = 'node-ready-schedulable';

/** The taint a cordoned node is treated as carrying: pods that tolerate it (node daemons) may still go there. */
export const UNSCHEDULABLE_TAINT_KEY = 'node.drover.io/unschedulable';

const NOT_READY = unschedulable(NODE_READY_SCHEDULABLE, 'node not ready');
const CORDONED = unschedulable(NODE_READY_SCHEDULABLE, 'node unschedulable');

interface State {
  readonly toleratesCordon: boolean;
}

export const nodeReadySchedulable = {
  name: NODE_READY_SCHEDULABLE,
  preFilter(pod) {
    const toleratesCordon = (pod.pod.spec.tolerations ?? []).some((t) =>
      toleratesTaint(t, { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' }),
    );
    return run({ toleratesCordon });
  },
  filter(state, _pod, node) {
    if (!node.ready) return NOT_READY;
    if (node.unschedulable && !state.toleratesCordon) return CORDONED;
    return SUCCESS;
  },
} satisfies FilterPlugin<State>;
