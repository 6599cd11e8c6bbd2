// Objects for the controllers' tests, built small: only what a test names differs.

import type { Deployment, Node, Pod, PodPhase, PodTemplateSpec, ReplicaSet } from '../../../../core/api/index.js';

export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
export const iso = (ms: number): string => new Date(ms).toISOString();

export function template(image = 'web:1', labels: Record<string, string> = { app: 'web' }): PodTemplateSpec {
  return { metadata: { labels }, spec: { containers: [{ name: 'web', image }] } };
}

export function replicaSet(over: { name?: string; uid?: string; replicas?: number; minReadySeconds?: number; generation?: number } = {}): ReplicaSet {
  return {
    apiVersion: 'drover/v1',
    kind: 'ReplicaSet',
    metadata: { name: over.name ?? 'web', namespace: 'default', uid: over.uid ?? 'rs-uid', resourceVersion: '10', generation: over.generation ?? 1 },
    spec: {
      replicas: over.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      ...(over.minReadySeconds !== undefined ? { minReadySeconds: over.minReadySeconds } : {}),
    },
  };
}

export interface PodOver {
  name?: string;
  uid?: string;
  labels?: Record<string, string>;
  owner?: { kind?: string; name: string; uid: string } | null;
  node?: string | null;
  phase?: PodPhase;
  readySinceMs?: number | null;
  restarts?: number;
  createdMs?: number;
  deletingAtMs?: number;
  grace?: number;
  tolerations?: Pod['spec']['tolerations'];
}

/** A pod of RS `web` (uid rs-uid), running on n1 and ready since T0 - 1 h, unless told otherwise. */
export function pod(over: PodOver = {}): Pod {
  const name = over.name ?? 'web-a';
  const owner = over.owner === undefined ? { kind: 'ReplicaSet', name: 'web', uid: 'rs-uid' } : over.owner;
  const node = over.node === undefined ? 'n1' : over.node;
  const readySince = over.readySinceMs === undefined ? T0 - 3_600_000 : over.readySinceMs;
  return {
    apiVersion: 'drover/v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: over.uid ?? `uid-${name}`,
      resourceVersion: '5',
      labels: over.labels ?? { app: 'web' },
      creationTimestamp: iso(over.createdMs ?? T0 - 7_200_000),
      ...(owner !== null
        ? { ownerReferences: [{ apiVersion: 'drover/v1', kind: owner.kind ?? 'ReplicaSet', name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }] }
        : {}),
      ...(over.deletingAtMs !== undefined ? { deletionTimestamp: iso(over.deletingAtMs), deletionGracePeriodSeconds: over.grace ?? 30 } : {}),
    },
    spec: {
      containers: [{ name: 'web', image: 'web:1' }],
      ...(node !== null ? { nodeName: node } : {}),
      ...(over.tolerations !== undefined ? { tolerations: over.tolerations } : {}),
      ...(over.grace !== undefined ? { terminationGracePeriodSeconds: over.grace } : {}),
    },
    status: {
      phase: over.phase ?? (node === null ? 'Pending' : 'Running'),
      conditions: readySince === null ? [{ type: 'Ready', status: 'False' }] : [{ type: 'Ready', status: 'True', lastTransitionTime: iso(readySince) }],
      containerStatuses: [{ name: 'web', image: 'web:1', ready: readySince !== null, restartCount: over.restarts ?? 0 }],
    },
  };
}

export function deployment(over: { replicas?: number; maxSurge?: number | string; maxUnavailable?: number | string; recreate?: boolean; image?: string; minReadySeconds?: number; paused?: boolean; revisionHistoryLimit?: number; progressDeadlineSeconds?: number } = {}): Deployment {
  return {
    apiVersion: 'drover/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'dep-uid', resourceVersion: '3', generation: 1 },
    spec: {
      replicas: over.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(over.image ?? 'web:1'),
      strategy: over.recreate === true
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxSurge: over.maxSurge ?? '25%', maxUnavailable: over.maxUnavailable ?? '25%' } },
      ...(over.minReadySeconds !== undefined ? { minReadySeconds: over.minReadySeconds } : {}),
      ...(over.paused !== undefined ? { paused: over.paused } : {}),
      revisionHistoryLimit: over.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: over.progressDeadlineSeconds ?? 600,
    },
  };
}

export function node(name = 'n1', over: { ready?: 'True' | 'False' | 'Unknown'; taints?: NonNullable<Node['spec']>['taints']; createdMs?: number } = {}): Node {
  return {
    apiVersion: 'drover/v1',
    kind: 'Node',
    metadata: { name, uid: `node-${name}`, resourceVersion: '7', creationTimestamp: iso(over.createdMs ?? T0 - 86_400_000) },
    spec: { ...(over.taints !== undefined ? { taints: over.taints } : {}) },
    status: { conditions: [{ type: 'Ready', status: over.ready ?? 'True', reason: 'NodeReady', lastTransitionTime: iso(T0 - 86_400_000) }] },
  };
}
