// Judging a node by its heartbeats, and the Node write that records the
// judgement: the Ready condition and the unreachable taints.

import type { Node, NodeCondition, Taint } from '../../api/index.js';
import { findCondition, setCondition } from '../conditions.js';
import { isoOf, msOf } from '../time.js';
import type { NodeLifecycleOptions } from './options.js';
import { UNREACHABLE_TAINT_KEY } from './options.js';

export type NodeHealth =
  /** Heard from within the grace period. */
  | { readonly type: 'reachable'; readonly lastSeenMs: number; readonly recheckInMs: number }
  /** Not heard from for longer than the grace period (or ever, past the startup grace). */
  | { readonly type: 'unreachable'; readonly lastSeenMs?: number }
  /** A new leader that has not heard from the node yet, still within the startup grace: no judgement. */
  | { readonly type: 'unjudged'; readonly recheckInMs: number };

/**
 * How `node` stands at `nowMs`. A node is unreachable once its last
 * heartbeat is older than nodeMonitorGracePeriodMs; one not heard from
 * since this leader started gets startupGracePeriodMs from then (or from
 * the node's creation, if later) to be heard.
 */
export function judgeNode(
  node: Node,
  lastSeenMs: number | undefined,
  leaderSinceMs: number,
  nowMs: number,
  opts: NodeLifecycleOptions,
): NodeHealth {
  if (lastSeenMs !== undefined) {
    const ageMs = nowMs - lastSeenMs;
    if (ageMs > opts.nodeMonitorGracePeriodMs) return { type: 'unreachable', lastSeenMs };
    return { type: 'reachable', lastSeenMs, recheckInMs: opts.nodeMonitorGracePeriodMs - ageMs + 1 };
  }
  const fromMs = Math.max(leaderSinceMs, msOf(node.metadata.creationTimestamp) ?? leaderSinceMs);
  const waitedMs = nowMs - fromMs;
  if (waitedMs > opts.startupGracePeriodMs) return { type: 'unreachable' };
  return { type: 'unjudged', recheckInMs: opts.startupGracePeriodMs - waitedMs + 1 };
}

const UNREACHABLE_EFFECTS = ['NoSchedule', 'NoExecute'] as const;

function isUnreachableTaint(t: Taint): boolean {
  return t.key === UNREACHABLE_TAINT_KEY;
}

/**
 * `node` as the judgement wants it, or undefined when it already is so.
 * Unreachable: Ready Unknown (NodeStatusUnknown) and both unreachable
 * taints, an existing one keeping its timeAdded (the node may have been
 * unreachable since a previous leader). Reachable: Ready True (NodeReady)
 * and no unreachable taint. Unjudged: unchanged.
 */
export function nodeAsJudged(node: Node, health: NodeHealth, nowMs: number): Node | undefined {
  if (health.type === 'unjudged') return undefined;
  const nowIso = isoOf(nowMs);
  const conditions = node.status?.conditions;
  const ready = findCondition(conditions, 'Ready');
  const taints = node.spec?.taints ?? [];
  const heartbeat = health.lastSeenMs !== undefined ? { lastHeartbeatTime: isoOf(health.lastSeenMs) } : {};

  let nextConditions: NodeCondition[] | undefined;
  let nextTaints: Taint[] | undefined;
  if (health.type === 'unreachable') {
    if (ready?.status !== 'Unknown') {
      const base = ready?.lastHeartbeatTime !== undefined ? { lastHeartbeatTime: ready.lastHeartbeatTime } : {};
      nextConditions = setCondition(
        conditions,
        { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'node agent stopped posting heartbeats', ...base, ...heartbeat },
        nowIso,
      );
    }
    const missing = UNREACHABLE_EFFECTS.filter((effect) => !taints.some((t) => isUnreachableTaint(t) && t.effect === effect));
    if (missing.length > 0) {
      nextTaints = [...taints, ...missing.map((effect): Taint => ({ key: UNREACHABLE_TAINT_KEY, effect, timeAdded: nowIso }))];
    }
  } else {
    if (ready?.status !== 'True') {
      nextConditions = setCondition(
        conditions,
        { type: 'Ready', status: 'True', reason: 'NodeReady', message: 'node agent is posting heartbeats', ...heartbeat },
        nowIso,
      );
    }
    if (taints.some(isUnreachableTaint)) nextTaints = taints.filter((t) => !isUnreachableTaint(t));
  }
  if (nextConditions === undefined && nextTaints === undefined) return undefined;
  return {
    ...node,
    ...(nextTaints !== undefined ? { spec: { ...node.spec, taints: nextTaints } } : {}),
    ...(nextConditions !== undefined ? { status: { ...node.status, conditions: nextConditions } } : {}),
  };
}
