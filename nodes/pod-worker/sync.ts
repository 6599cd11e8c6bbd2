// One sync of a pod: from the pod (its spec, whether it is being deleted),
// the containers the runtime reports and the worker's back-off and probe
// state, decide what to do to the containers and what status to report.
// Pure: the driver (pod-worker.ts) performs the actions and calls again.

import type { Container, ObjectMeta, Pod } from '../../core/api/index.js';
import type { ContainerInfo } from '../runtime/index.js';
import { exitCodeOf, groupAttempts, shouldRestart, type ContainerAttempts } from './attempts.js';
import { nextBackoff, type BackoffEntry, type Trouble } from './backoff.js';
import { containerConfig } from './container-config.js';
import { podStatus } from './pod-status.js';
import type { ContainerPlan, StartFailure, StopReason, SyncAction, SyncInput, SyncResult } from './types.js';

/** Seconds between the stop signal and the kill when neither the deletion nor the spec says. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/**
 * How long a stopped container of the pod gets between SIGTERM and SIGKILL:
 * the deletion's grace period (metadata.deletionGracePeriodSeconds, which
 * ObjectMeta does not declare yet but a server may set), else
 * spec.terminationGracePeriodSeconds, else 30 s.
 */
export function podGracePeriodMs(pod: Pod): number {
  const meta: ObjectMeta & { deletionGracePeriodSeconds?: number } = pod.metadata;
  const seconds = meta.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
  return Math.max(0, seconds) * 1_000;
}

/** When the pod's active deadline falls (ms since the epoch), if it has one. */
export function activeDeadlineMs(pod: Pod, startTimeMs: number): number | undefined {
  const s = pod.spec.activeDeadlineSeconds;
  return s === undefined ? undefined : startTimeMs + s * 1_000;
}

/** Whether a pod is being deleted: it carries a deletion timestamp or is gone from the API. */
export function isDeleting(pod: Pod, gone: boolean): boolean {
  return gone || pod.metadata.deletionTimestamp !== undefined;
}

function byContainerName(containers: readonly ContainerInfo[]): Map<string, ContainerInfo[]> {
  const out = new Map<string, ContainerInfo[]>();
  for (const c of containers) {
    const list = out.get(c.containerName);
    if (list === undefined) out.set(c.containerName, [c]);
    else list.push(c);
  }
  return out;
}

/** Decides the actions and the status of one sync. */
export function sync(input: SyncInput): SyncResult {
  const { pod, nowMs, params } = input;
  const deleting = isDeleting(pod, input.gone);
  const gracePeriodMs = podGracePeriodMs(pod);
  const deadlineMs = activeDeadlineMs(pod, input.startTimeMs);
  const deadlineExceeded = deadlineMs !== undefined && nowMs >= deadlineMs;
  const policy = pod.spec.restartPolicy ?? 'Always';
  const actions: SyncAction[] = [];
  const backoff = new Map<string, BackoffEntry>(input.backoff);
  const byName = byContainerName(input.containers);

  const stop = (c: ContainerInfo, reason: StopReason, message: string): boolean => {
    if (input.stopping.has(c.id)) return false;
    actions.push({ type: 'stop', id: c.id, containerName: c.containerName, gracePeriodMs, reason, message });
    return true;
  };
  const stopOrRemove = (c: ContainerInfo, reason: StopReason, message: string) => {
    if (c.state === 'running') stop(c, reason, message);
    else actions.push({ type: 'remove', id: c.id, containerName: c.containerName });
  };

  const specNames = new Set(pod.spec.containers.map((c) => c.name));
  for (const [name, list] of byName) {
    if (specNames.has(name)) continue;
    for (const c of list) stopOrRemove(c, 'stray', `Stopping container ${name}: the pod's spec has no such container`);
  }

  const plans = pod.spec.containers.map((spec) => {
    const attempts = groupAttempts(byName.get(spec.name) ?? []);
    if (deleting) {
      for (const c of byName.get(spec.name) ?? []) stopOrRemove(c, 'deleted', `Stopping container ${spec.name}`);
      return planWhileDeleting(spec, attempts);
    }
    for (const c of attempts.stale) stopOrRemove(c, 'stray', `Stopping container ${spec.name}: attempt ${c.attempt} is not the latest`);
    const latest = attempts.latest;
    if (latest?.state === 'running') {
      let stopped = input.stopping.has(latest.id);
      const liveness = input.probes.get(latest.id)?.liveness;
      if (deadlineExceeded) stopped = stop(latest, 'deadline', `Stopping container ${spec.name}: the pod was active longer than its deadline`) || stopped;
      else if (liveness?.result === 'failure') {
        const then = policy === 'Never' ? 'will not be restarted' : 'will be restarted';
        stopped = stop(latest, 'liveness', `Container ${spec.name} failed liveness probe, ${then}`) || stopped;
      }
      return { spec, attempts, fate: 'running', ready: !stopped && isReady(spec, latest, input) } satisfies ContainerPlan;
    }
    const restart = latest === undefined || shouldRestart(policy, exitCodeOf(latest));
    if (!restart) return { spec, attempts, fate: 'done', ready: false } satisfies ContainerPlan;
    const fate = latest === undefined ? 'unstarted' : 'restarting';
    const failure = input.startFailures.get(spec.name);
    const startFailure = failure !== undefined && failure.attempt >= attempts.nextAttempt ? failure : undefined;
    if (deadlineExceeded) return { spec, attempts, fate: latest === undefined ? 'unstarted' : 'done', ready: false } satisfies ContainerPlan;
    const trouble = troubleOf(latest, startFailure, nowMs);
    const entry = trouble === undefined ? undefined : nextBackoff(input.backoff.get(spec.name), trouble, params.backoff);
    if (entry !== undefined) backoff.set(spec.name, entry);
    if (entry === undefined || nowMs >= entry.restartAtMs) {
      actions.push({ type: 'start', containerName: spec.name, attempt: attempts.nextAttempt, config: containerConfig(pod, spec, attempts.nextAttempt) });
    } else {
      actions.push({ type: 'wait', untilMs: entry.restartAtMs, reason: 'backoff' });
    }
    return {
      spec,
      attempts,
      fate,
      ready: false,
      ...(entry !== undefined ? { backoff: entry } : {}),
      ...(startFailure !== undefined ? { startFailure } : {}),
    } satisfies ContainerPlan;
  });

  if (deleting) {
    if (input.containers.length === 0) actions.push({ type: 'terminated' });
  } else if (deadlineMs !== undefined && !deadlineExceeded) {
    actions.push({ type: 'wait', untilMs: deadlineMs, reason: 'deadline' });
  }

  const computed = podStatus({
    pod,
    plans,
    startTimeMs: input.startTimeMs,
    nowMs,
    deadlineExceeded,
    params,
    ...(input.previousStatus !== undefined ? { previousStatus: input.previousStatus } : {}),
  });
  // Once a deleted pod's containers are all removed there is nothing left to
  // describe: keep the status it had rather than report it Pending again.
  const status = deleting && input.containers.length === 0 && input.previousStatus !== undefined ? input.previousStatus : computed;
  return { actions, status, backoff };
}

/** While deleting nothing starts: a container is running until stopped, then done. */
function planWhileDeleting(spec: Container, attempts: ContainerAttempts): ContainerPlan {
  const latest = attempts.latest;
  if (latest === undefined) return { spec, attempts, fate: 'unstarted', ready: false };
  return { spec, attempts, fate: latest.state === 'running' ? 'running' : 'done', ready: false };
}

/** The trouble the next start of a container follows: a failed start, else the latest attempt's exit; none for a first start. */
function troubleOf(latest: ContainerInfo | undefined, failure: StartFailure | undefined, nowMs: number): Trouble | undefined {
  if (failure !== undefined) return { key: `start:${failure.attempt}:${failure.atMs}`, atMs: failure.atMs, ranMs: 0 };
  if (latest === undefined) return undefined;
  const finishedAtMs = latest.finishedAtMs ?? nowMs;
  const ranMs = Math.max(0, finishedAtMs - (latest.startedAtMs ?? finishedAtMs));
  return { key: `exit:${latest.id}`, atMs: finishedAtMs, ranMs };
}

/** Ready: running, and the readiness probe (if the spec has one) has passed. */
function isReady(spec: Container, latest: ContainerInfo, input: SyncInput): boolean {
  if (spec.readinessProbe === undefined) return true;
  return input.probes.get(latest.id)?.readiness?.result === 'success';
}
