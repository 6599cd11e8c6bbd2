// Score: spread the pods of one controller (same controller owner uid, e.g.
// one ReplicaSet) across nodes: the fewer of them a node holds, the higher
// it scores. Pods without a controller are not scored.

import type { ScorePlugin } from '../framework.js';
import { run, SKIP } from '../framework.js';
import { normalizeReversed } from './normalize.js';

export const OWNER_SPREAD = 'owner-spread';

export const ownerSpread = {
  name: OWNER_SPREAD,
  weight: 2,
  preScore(pod) {
    return pod.controllerUid === undefined ? SKIP : run(pod.controllerUid);
  },
  score(controllerUid, _pod, node) {
    return node.ownerPodCount(controllerUid);
  },
  normalize(_state, scores, count) {
    normalizeReversed(scores, count);
  },
} satisfies ScorePlugin<string>;
