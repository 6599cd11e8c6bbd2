import { describe, expect, it } from 'vitest';
import {
  initialProbeState,
  isProbeDue,
  probeFailure,
  probeSettings,
  probeSuccess,
  recordProbeOutcome,
  type ProbeResult,
  type ProbeState,
} from '../../../../nodes/probes/index.js';

const T0 = 1_000_000;
const ok = probeSuccess();
const bad = probeFailure('connection refused');

/** Feeds outcomes one period apart and returns the verdict after each. */
function verdicts(state: ProbeState, settings: ReturnType<typeof probeSettings>, outcomes: ('s' | 'f')[]): ProbeResult[] {
  const out: ProbeResult[] = [];
  let s = state;
  let now = s.nextDueMs;
  for (const o of outcomes) {
    s = recordProbeOutcome(s, settings, o === 's' ? ok : bad, now).state;
    out.push(s.result);
    now = s.nextDueMs;
  }
  return out;
}

describe('probe settings', () => {
  it('applies the Kubernetes defaults and converts to ms', () => {
    expect(probeSettings({ exec: { command: ['true'] } }, 'readiness')).toEqual({
      initialDelayMs: 0,
      periodMs: 10_000,
      timeoutMs: 1_000,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('keeps the fields given, but a liveness probe needs one success', () => {
    const probe = { tcpSocket: { port: 80 }, initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, successThreshold: 4, failureThreshold: 6 };
    expect(probeSettings(probe, 'readiness')).toEqual({ initialDelayMs: 5_000, periodMs: 2_000, timeoutMs: 3_000, successThreshold: 4, failureThreshold: 6 });
    expect(probeSettings(probe, 'liveness').successThreshold).toBe(1);
  });
});

describe('the probe state machine', () => {
  it('waits for the initial delay before the first probe', () => {
    const settings = probeSettings({ exec: { command: ['x'] }, initialDelaySeconds: 15 }, 'liveness');
    const s = initialProbeState('liveness', settings, T0);
    expect(s.nextDueMs).toBe(T0 + 15_000);
    expect(isProbeDue(s, T0 + 14_999)).toBe(false);
    expect(isProbeDue(s, T0 + 15_000)).toBe(true);
  });

  it('runs again one period after each outcome', () => {
    const settings = probeSettings({ exec: { command: ['x'] }, periodSeconds: 3 }, 'liveness');
    const step = recordProbeOutcome(initialProbeState('liveness', settings, T0), settings, ok, T0 + 500);
    expect(step.state.nextDueMs).toBe(T0 + 3_500);
  });

  it('liveness starts alive and fails only after failureThreshold failures in a row', () => {
    const settings = probeSettings({ exec: { command: ['x'] }, failureThreshold: 3 }, 'liveness');
    const s = initialProbeState('liveness', settings, T0);
    expect(s.result).toBe('success');
    expect(verdicts(s, settings, ['f', 'f', 's', 'f', 'f', 'f'])).toEqual(['success', 'success', 'success', 'success', 'success', 'failure']);
  });

  it('readiness starts unready and passes only after successThreshold successes in a row', () => {
    const settings = probeSettings({ exec: { command: ['x'] }, successThreshold: 2, failureThreshold: 2 }, 'readiness');
    const s = initialProbeState('readiness', settings, T0);
    expect(s.result).toBe('failure');
    expect(verdicts(s, settings, ['s', 'f', 's', 's', 'f', 's', 'f', 'f', 's', 's'])).toEqual([
      'failure',
      'failure',
      'failure',
      'success',
      'success', // one failure of two needed
      'success',
      'success',
      'failure',
      'failure',
      'success',
    ]);
  });

  it('says when the verdict changed and keeps the last failure message', () => {
    const settings = probeSettings({ exec: { command: ['x'] }, failureThreshold: 1 }, 'liveness');
    const s = initialProbeState('liveness', settings, T0);
    const stillAlive = recordProbeOutcome(s, settings, ok, T0);
    expect(stillAlive.changed).toBe(false);
    const dead = recordProbeOutcome(stillAlive.state, settings, bad, T0 + 10_000);
    expect(dead.changed).toBe(true);
    expect(dead.state).toMatchObject({ result: 'failure', consecutiveFailures: 1, lastFailureMessage: 'connection refused' });
    const back = recordProbeOutcome(dead.state, settings, ok, T0 + 20_000);
    expect(back.changed).toBe(true);
    expect(back.state.lastFailureMessage).toBeUndefined();
  });
});
