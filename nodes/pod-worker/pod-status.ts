// The pod's status from the sync's plans: phase, conditions, container
// statuses. Nothing in it changes with the clock alone (no probe times), so
// two syncs that see the same containers give equal statuses and the worker
// reports only real change.

import type { ConditionStatus, Pod, PodCondition, PodConditionType, PodPhase, PodStatus } from '../../core/api/index.js';
import { exitCodeOf } from './attempts.js';
import { containerStatus, isoOf } from './container-status.js';
import type { ContainerPlan, SyncParams } from './types.js';

/** The pod's phase from its containers' fates. */
export function podPhase(plans: readonly ContainerPlan[]): PodPhase {
  if (plans.length === 0 || plans.some((p) => p.fate === 'unstarted')) return 'Pending';
  if (plans.some((p) => p.fate === 'running' || p.fate === 'restarting')) return 'Running';
  const allSucceeded = plans.every((p) => p.attempts.latest?.state === 'exited' && exitCodeOf(p.attempts.latest) === 0);
  return allSucceeded ? 'Succeeded' : 'Failed';
}

function condition(
  type: PodConditionType,
  status: ConditionStatus,
  previous: readonly PodCondition[] | undefined,
  nowMs: number,
  why?: { reason: string; message: string },
): PodCondition {
  const before = previous?.find((c) => c.type === type);
  const lastTransitionTime = before !== undefined && before.status === status && before.lastTransitionTime !== undefined ? before.lastTransitionTime : isoOf(nowMs);
  return { type, status, lastTransitionTime, ...(why ?? {}) };
}

export interface PodStatusInput {
  readonly pod: Pod;
  readonly plans: readonly ContainerPlan[];
  readonly startTimeMs: number;
  readonly nowMs: number;
  readonly previousStatus?: PodStatus;
  /** The pod ran past spec.activeDeadlineSeconds. */
  readonly deadlineExceeded: boolean;
  readonly params: SyncParams;
}

/** The status the node agent reports for the pod. */
export function podStatus(input: PodStatusInput): PodStatus {
  const { pod, plans, nowMs } = input;
  const previous = input.previousStatus?.conditions;
  const unready = plans.filter((p) => !p.ready).map((p) => p.spec.name);
  const readyStatus: ConditionStatus = unready.length === 0 ? 'True' : 'False';
  const why = unready.length === 0 ? undefined : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  // The scheduler wrote PodScheduled when it bound the pod; keep it as it is.
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', 'True', previous, input.startTimeMs);
  return {
    phase: input.deadlineExceeded ? 'Failed' : podPhase(plans),
    conditions: [
      scheduled,
      condition('Initialized', 'True', previous, nowMs),
      condition('ContainersReady', readyStatus, previous, nowMs, why),
      condition('Ready', readyStatus, previous, nowMs, why),
    ],
    ...(input.deadlineExceeded ? { reason: 'DeadlineExceeded', message: `Pod was active on the node longer than the specified deadline (${pod.spec.activeDeadlineSeconds ?? 0}s)` } : {}),
    hostIP: input.params.hostIP,
    podIP: input.params.podIP,
    startTime: isoOf(input.startTimeMs),
    containerStatuses: plans.map((p) => containerStatus(p, pod)),
  };
}

/** Structural equality of two JSON values, ignoring key order and keys whose value is undefined. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = (r: Record<string, unknown>) => Object.keys(r).filter((k) => r[k] !== undefined);
  const ka = keys(ra);
  return ka.length === keys(rb).length && ka.every((k) => Object.hasOwn(rb, k) && sameJson(ra[k], rb[k]));
}

/** True when reporting `next` after `reported` would tell the API nothing new. */
export function sameStatus(next: PodStatus, reported: PodStatus | undefined): boolean {
  return reported !== undefined && sameJson(next, reported);
}
