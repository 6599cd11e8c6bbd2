// A Deployment's numbers, resolved: desired replicas, surge and
// unavailability budgets, deadlines.

import type { Deployment, IntOrString } from '../../api/index.js';

/** Defaults as the API fills them in, for objects that skipped defaulting (tests, old objects). */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/**
 * A count, or a percentage of `total`: `'25%'` of 10 is 2.5, rounded up
 * (`roundUp`) or down. A string that is neither a percentage nor an integer
 * resolves to 0 (validation refuses it before it gets here).
 */
export function resolveIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return Math.max(0, Math.trunc(value));
  const percent = /^(\d+)%$/.exec(value);
  if (percent === null) return /^\d+$/.test(value) ? Number(value) : 0;
  const scaled = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export interface RolloutBudget {
  /** Pods allowed above the desired replicas during a rollout. */
  readonly maxSurge: number;
  /** Pods allowed to be unavailable during a rollout. */
  readonly maxUnavailable: number;
}

export function desiredReplicasOf(d: Deployment): number {
  return d.spec.replicas ?? 1;
}

export function isRecreate(d: Deployment): boolean {
  return d.spec.strategy?.type === 'Recreate';
}

/**
 * The rollout budget of `d`: for RollingUpdate, maxSurge rounded up and
 * maxUnavailable rounded down from the desired replicas; if both come out
 * 0 (say 10% of 3), maxUnavailable is 1, or no rollout could ever move;
 * maxUnavailable is at most the desired replicas.
 * Recreate allows neither: it stops every old pod before it starts a new one.
 */
export function rolloutBudgetOf(d: Deployment): RolloutBudget {
  if (isRecreate(d)) return { maxSurge: 0, maxUnavailable: 0 };
  const desired = desiredReplicasOf(d);
  const rolling = d.spec.strategy?.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(rolling.maxSurge ?? DEFAULT_MAX_SURGE, desired, true);
  const maxUnavailable = resolveIntOrPercent(rolling.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, desired, false);
  // Never more unavailable than there are replicas to lose.
  if (maxSurge === 0 && maxUnavailable === 0) return { maxSurge: 0, maxUnavailable: Math.min(1, desired) };
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) };
}

export function minReadySecondsOf(d: Deployment): number {
  return d.spec.minReadySeconds ?? 0;
}

export function revisionHistoryLimitOf(d: Deployment): number {
  return d.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
}

export function progressDeadlineMsOf(d: Deployment): number {
  return (d.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1_000;
}
