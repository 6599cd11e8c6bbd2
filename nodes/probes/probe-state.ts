// The probe state machine of one probe (liveness or readiness) of one
// container attempt: when it is due, and how consecutive outcomes turn into
// a verdict. Pure: the caller runs the probes and passes the time in.

import type { Probe } from '../../core/api/index.js';
import type { ProbeOutcome, ProbeResult } from './types.js';

/** Which probe: a failing liveness probe restarts the container, readiness gates traffic. */
export type ProbeKind = 'liveness' | 'readiness';

/** The defaults of a probe's timing fields, as Kubernetes has them. */
export const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

/** A probe's timing with defaults applied, in milliseconds and counts. */
export interface ProbeSettings {
  /** After the container starts, before the first probe. */
  readonly initialDelayMs: number;
  /** Between the end of one probe and the start of the next. */
  readonly periodMs: number;
  /** How long one probe may take before it counts as failed. */
  readonly timeoutMs: number;
  /** Consecutive successes that turn a failing verdict into success (always 1 for liveness). */
  readonly successThreshold: number;
  /** Consecutive failures that turn a passing verdict into failure. */
  readonly failureThreshold: number;
}

/** The settings of a probe as written in a pod spec (defaults for missing fields). */
export function probeSettings(probe: Probe, kind: ProbeKind): ProbeSettings {
  const atLeastOne = (n: number | undefined, d: number) => Math.max(1, n ?? d);
  return {
    initialDelayMs: Math.max(0, probe.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds) * 1_000,
    periodMs: atLeastOne(probe.periodSeconds, PROBE_DEFAULTS.periodSeconds) * 1_000,
    timeoutMs: atLeastOne(probe.timeoutSeconds, PROBE_DEFAULTS.timeoutSeconds) * 1_000,
    // Validation requires 1 for liveness; enforce it here too, as Kubernetes does.
    successThreshold: kind === 'liveness' ? 1 : atLeastOne(probe.successThreshold, PROBE_DEFAULTS.successThreshold),
    failureThreshold: atLeastOne(probe.failureThreshold, PROBE_DEFAULTS.failureThreshold),
  };
}

/** Where one probe of one container attempt stands. */
export interface ProbeState {
  readonly kind: ProbeKind;
  /**
   * The current verdict. A liveness probe starts as success (a container is
   * alive until proven otherwise), a readiness probe as failure (not ready
   * until it has passed `successThreshold` times).
   */
  readonly result: ProbeResult;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  /** When the next probe should run (ms since the epoch). */
  readonly nextDueMs: number;
  /** The message of the last failed probe, while the failures last. */
  readonly lastFailureMessage?: string;
}

/** The state of a probe for a container that started at `startedAtMs`. */
export function initialProbeState(kind: ProbeKind, settings: ProbeSettings, startedAtMs: number): ProbeState {
  return {
    kind,
    result: kind === 'liveness' ? 'success' : 'failure',
    consecutiveSuccesses: 0,
    consecutiveFailures: 0,
    nextDueMs: startedAtMs + settings.initialDelayMs,
  };
}

/** True when the probe should run at `nowMs`. */
export function isProbeDue(state: ProbeState, nowMs: number): boolean {
  return nowMs >= state.nextDueMs;
}

/** A probe's new state after one outcome, and whether its verdict changed. */
export interface ProbeStep {
  readonly state: ProbeState;
  readonly changed: boolean;
}

/** Folds one outcome, observed at `nowMs`, into the state. */
export function recordProbeOutcome(state: ProbeState, settings: ProbeSettings, outcome: ProbeOutcome, nowMs: number): ProbeStep {
  const nextDueMs = nowMs + settings.periodMs;
  if (outcome.result === 'success') {
    const consecutiveSuccesses = state.consecutiveSuccesses + 1;
    const result: ProbeResult = state.result === 'success' || consecutiveSuccesses >= settings.successThreshold ? 'success' : 'failure';
    return { state: { kind: state.kind, result, consecutiveSuccesses, consecutiveFailures: 0, nextDueMs }, changed: result !== state.result };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const result: ProbeResult = state.result === 'failure' || consecutiveFailures >= settings.failureThreshold ? 'failure' : 'success';
  return {
    state: { kind: state.kind, result, consecutiveSuccesses: 0, consecutiveFailures, nextDueMs, lastFailureMessage: outcome.message },
    changed: result !== state.result,
  };
}
