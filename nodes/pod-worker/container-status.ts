// The status of one container, built from the sync's plan for it.

import type { ContainerState, ContainerStateTerminated, ContainerStatus, Pod } from '../../core/api/index.js';
import type { ContainerInfo } from '../runtime/index.js';
import { exitCodeOf } from './attempts.js';
import { formatDelay } from './backoff.js';
import type { ContainerPlan } from './types.js';

/** Milliseconds since the epoch as an RFC 3339 timestamp. */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** The terminated state of an exited attempt. The runtime does not report OOM kills, so the reason is Completed or Error. */
export function terminatedState(info: ContainerInfo): ContainerStateTerminated {
  const exitCode = exitCodeOf(info);
  return {
    exitCode,
    ...(info.signal !== undefined ? { signal: info.signal } : {}),
    reason: exitCode === 0 ? 'Completed' : 'Error',
    ...(info.startedAtMs !== undefined ? { startedAt: isoOf(info.startedAtMs) } : {}),
    ...(info.finishedAtMs !== undefined ? { finishedAt: isoOf(info.finishedAtMs) } : {}),
    containerID: info.containerID,
  };
}

/** The message of a container waiting out its back-off, as Kubernetes words it. */
export function backoffMessage(delayMs: number, containerName: string, pod: Pod): string {
  return `back-off ${formatDelay(delayMs)} restarting failed container=${containerName} pod=${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

function currentState(plan: ContainerPlan, pod: Pod): ContainerState {
  const latest = plan.attempts.latest;
  if (plan.startFailure !== undefined) return { waiting: { reason: plan.startFailure.reason, message: plan.startFailure.message } };
  switch (plan.fate) {
    case 'unstarted':
      return { waiting: { reason: 'ContainerCreating' } };
    case 'running':
      return { running: latest?.startedAtMs !== undefined ? { startedAt: isoOf(latest.startedAtMs) } : {} };
    case 'restarting': {
      const delayMs = plan.backoff?.delayMs ?? 0;
      return { waiting: { reason: 'CrashLoopBackOff', message: backoffMessage(delayMs, plan.spec.name, pod) } };
    }
    case 'done':
      return latest !== undefined ? { terminated: terminatedState(latest) } : { waiting: { reason: 'ContainerCreating' } };
  }
}

/**
 * The status of one container. `lastState` is the attempt before the one
 * shown: the previous exited attempt, or, while the latest waits to be
 * restarted, the latest itself.
 */
export function containerStatus(plan: ContainerPlan, pod: Pod): ContainerStatus {
  const { latest, previous } = plan.attempts;
  const waitingAfterExit = latest?.state === 'exited' && plan.fate !== 'done';
  const last = waitingAfterExit ? latest : previous;
  return {
    name: plan.spec.name,
    image: plan.spec.image,
    ...(latest !== undefined ? { containerID: latest.containerID } : {}),
    state: currentState(plan, pod),
    ...(last !== undefined ? { lastState: { terminated: terminatedState(last) } } : {}),
    ready: plan.ready,
    started: plan.fate === 'running',
    restartCount: latest?.attempt ?? 0,
  };
}
