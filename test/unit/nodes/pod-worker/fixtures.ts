// Pods and runtime containers for the pod worker's tests.

import type { Container, Pod, PodSpec } from '../../../../core/api/index.js';
import type { ContainerInfo } from '../../../../nodes/runtime/index.js';
import { DEFAULT_RESTART_BACKOFF, type SyncInput, type SyncParams } from '../../../../nodes/pod-worker/index.js';

export const T0 = Date.UTC(2026, 0, 1);
export const UID = 'a1b2c3d4-0000-4000-8000-000000000001';
export const PARAMS: SyncParams = { backoff: DEFAULT_RESTART_BACKOFF, hostIP: '10.0.0.7', podIP: '127.0.0.1' };

export function container(name = 'web', extra: Partial<Container> = {}): Container {
  return { name, image: `drover/${name}:1`, ...extra };
}

export function pod(spec: Partial<PodSpec> = {}, name = 'web-abc'): Pod {
  return {
    apiVersion: 'drover/v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: UID },
    spec: { containers: [container()], restartPolicy: 'Always', terminationGracePeriodSeconds: 30, nodeName: 'n1', ...spec },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-12-31T23:59:00.000Z' }],
    },
  };
}

let ids = 0;

/** A runtime container of the test pod. */
export function info(containerName: string, attempt: number, fields: Partial<ContainerInfo> = {}): ContainerInfo {
  const id = fields.id ?? `x${++ids}`;
  return {
    id,
    containerID: `hollow://${id}`,
    podUid: UID,
    podNamespace: 'default',
    podName: 'web-abc',
    containerName,
    attempt,
    image: `drover/${containerName}:1`,
    state: 'running',
    startedAtMs: T0,
    ...fields,
  };
}

/** An attempt that ran from `startedAtMs` to `finishedAtMs` and exited with `exitCode`. */
export function exited(containerName: string, attempt: number, exitCode: number, startedAtMs: number, finishedAtMs: number, fields: Partial<ContainerInfo> = {}): ContainerInfo {
  return info(containerName, attempt, { state: 'exited', exitCode, startedAtMs, finishedAtMs, ...fields });
}

/** A sync input with nothing observed and empty state, at T0. */
export function input(p: Pod, fields: Partial<SyncInput> = {}): SyncInput {
  return {
    pod: p,
    containers: [],
    stopping: new Set(),
    backoff: new Map(),
    startFailures: new Map(),
    probes: new Map(),
    gone: false,
    startTimeMs: T0,
    nowMs: T0,
    params: PARAMS,
    ...fields,
  };
}
