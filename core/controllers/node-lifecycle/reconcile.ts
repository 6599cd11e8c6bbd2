// The node lifecycle controller's reconcile: judge each node by its
// heartbeats, record the judgement on the Node, move pods off nodes that
// do not come back, and clear away pods whose node is gone.

import type { Node, Pod, Taint } from '../../api/index.js';
import { deleteOf, referenceTo } from '../actions.js';
import type { ControllerAction, ReconcileResult } from '../actions.js';
import { isFinished, isTerminating } from '../pod-state.js';
import { msOf, soonest } from '../time.js';
import { judgeNode, nodeAsJudged } from './node-health.js';
import type { NodeHealth } from './node-health.js';
import { nodeLifecycleOptions, UNREACHABLE_TAINT_KEY } from './options.js';
import type { NodeLifecycleOptions } from './options.js';
import { evictionDue } from './tolerations.js';

/** The pod's grace period when its spec names none, as the API uses. */
const DEFAULT_GRACE_SECONDS = 30;

export interface NodeLifecycleInput {
  readonly nodes: readonly Node[];
  /** nodeName -> when this master last heard the node (ms, its clock); absent: not heard since it started. */
  readonly lastHeartbeatMs: ReadonlyMap<string, number>;
  /** When this master became leader (ms). */
  readonly leaderSinceMs: number;
  readonly nowMs: number;
  /** The pods bound to each node (spec.nodeName), every namespace; names of nodes that do not exist included. */
  readonly podsByNode: ReadonlyMap<string, readonly Pod[]>;
  readonly options?: Partial<NodeLifecycleOptions>;
}

/**
 * What the nodes need:
 *
 * - a node not heard from for the grace period: Ready Unknown and the
 *   `node.drover.io/unreachable` taints (NoSchedule, NoExecute); a node
 *   heard again: Ready True and the taints removed. One write per node: an
 *   `update` when its taints change, else an `updateStatus`;
 * - pods on a node with a NoExecute taint (as written by this reconcile)
 *   are evicted once it has been there for podEvictionTimeoutMs, or for the
 *   tolerationSeconds of a toleration that matches it (never, for one
 *   without): a graceful `delete` and a TaintManagerEviction event. A new
 *   leader's unjudged nodes evict nothing for the unreachable taint;
 * - terminating pods on an unreachable node are deleted by force once past
 *   their deletionTimestamp (see below);
 * - pods bound to a node that does not exist are deleted by force (orphan
 *   pod collection): the node list must be at least as new as the pods'.
 *
 * Finished pods (Succeeded, Failed) are left where they are: they hold no
 * resources, and their outcome may still be wanted. `requeueAfterMs` is
 * when the next judgement or eviction falls due.
 */
export function reconcileNodeLifecycle(input: NodeLifecycleInput): ReconcileResult {
  const opts = nodeLifecycleOptions(input.options);
  const { nowMs } = input;
  const nodeWrites: ControllerAction[] = [];
  const podActions: ControllerAction[] = [];
  let requeueAfterMs: number | undefined;
  let evictions = 0;
  const nodeNames = new Set<string>();

  for (const node of input.nodes) {
    const name = node.metadata.name;
    nodeNames.add(name);
    if (node.metadata.deletionTimestamp !== undefined) continue;
    const health = judgeNode(node, input.lastHeartbeatMs.get(name), input.leaderSinceMs, nowMs, opts);
    if (health.type !== 'unreachable') requeueAfterMs = soonest(requeueAfterMs, health.recheckInMs);
    const judged = nodeAsJudged(node, health, nowMs);
    if (judged !== undefined) {
      const taintsChanged = judged.spec !== node.spec;
      nodeWrites.push({ type: taintsChanged ? 'update' : 'updateStatus', object: judged });
    }

    const taints = evictingTaints(judged ?? node, health);
    for (const pod of input.podsByNode.get(name) ?? []) {
      if (isFinished(pod)) continue;
      if (isTerminating(pod)) {
        if (health.type !== 'unreachable') continue;
        const dueMs = forceDeleteDueMs(pod);
        if (dueMs === undefined) continue;
        if (nowMs >= dueMs) podActions.push(deleteOf(pod, { gracePeriodSeconds: 0 }));
        else requeueAfterMs = soonest(requeueAfterMs, dueMs - nowMs);
        continue;
      }
      const due = evictionDue(pod, taints, opts.podEvictionTimeoutMs, input.leaderSinceMs);
      if (due === undefined) continue;
      if (nowMs < due.atMs) {
        requeueAfterMs = soonest(requeueAfterMs, due.atMs - nowMs);
        continue;
      }
      if (evictions >= opts.evictionsMax) {
        requeueAfterMs = 0;
        continue;
      }
      evictions++;
      podActions.push(deleteOf(pod, { gracePeriodSeconds: pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS }));
      podActions.push(evictionEvent(pod, name, due.taint, due.tolerated, due.toleratedForMs));
    }
  }

  for (const [nodeName, pods] of input.podsByNode) {
    if (nodeNames.has(nodeName)) continue;
    for (const pod of pods) podActions.push(deleteOf(pod, { gracePeriodSeconds: 0 }));
  }

  return { actions: [...nodeWrites, ...podActions], ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}

/** The NoExecute taints that may evict now: a node not judged yet is not held to its unreachable taint. */
function evictingTaints(node: Node, health: NodeHealth): Taint[] {
  const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
  return health.type === 'unjudged' ? taints.filter((t) => t.key !== UNREACHABLE_TAINT_KEY) : taints;
}

/**
 * When a terminating pod on an unreachable node is deleted by force: at its
 * deletionTimestamp, which the API sets to the request plus the grace
 * period. Kubernetes leaves such pods until the node returns; Drover
 * prefers a bounded cleanup, because a node not heard from for the whole
 * grace period is judged to have stopped its containers (and if it comes
 * back, its agent stops any pod it no longer finds).
 */
function forceDeleteDueMs(pod: Pod): number | undefined {
  return msOf(pod.metadata.deletionTimestamp);
}

function evictionEvent(pod: Pod, nodeName: string, taint: Taint, tolerated: boolean, toleratedForMs: number): ControllerAction {
  const which = `${taint.key}${taint.value !== undefined ? `=${taint.value}` : ''}:${taint.effect}`;
  const why = tolerated ? `tolerated for ${toleratedForMs / 1_000}s only` : 'not tolerated';
  return {
    type: 'event',
    involved: referenceTo(pod),
    eventType: 'Normal',
    reason: 'TaintManagerEviction',
    message: `Evicting pod from node ${nodeName}: taint ${which} ${why}`,
  };
}
