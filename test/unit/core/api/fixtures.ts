// Valid objects of every kind, fresh on each call, for tests to break one rule at a time.

import type {
  Deployment,
  Endpoints,
  Event,
  Namespace,
  Node,
  Pod,
  PodSpec,
  ReplicaSet,
  Service,
} from '../../../../core/api/index.js';

export const NOW = '2024-05-01T12:00:00.000Z';
export const CREATE = { nowIso: NOW, uid: '4b3c2a10-0000-4000-8000-000000000001' } as const;

export function podSpec(): PodSpec {
  return {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      },
    ],
  };
}

export function pod(): Pod {
  return { apiVersion: 'drover/v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } }, spec: podSpec() };
}

export function replicaSet(): ReplicaSet {
  return {
    apiVersion: 'drover/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d8f', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: podSpec() },
    },
  };
}

export function deployment(): Deployment {
  return {
    apiVersion: 'drover/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: podSpec() },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
    },
  };
}

export function service(): Service {
  return {
    apiVersion: 'drover/v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
  };
}

export function endpoints(): Endpoints {
  return {
    apiVersion: 'drover/v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '10.0.0.5', nodeName: 'node-1' }], ports: [{ port: 8080 }] }],
  };
}

export function node(): Node {
  return {
    apiVersion: 'drover/v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'topology.drover.io/zone': 'a' } },
    spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: 4, memory: '16Gi', pods: 110 },
      allocatable: { cpu: '3500m', memory: '15Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: NOW }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
    },
  };
}

export function namespace(): Namespace {
  return { apiVersion: 'drover/v1', kind: 'Namespace', metadata: { name: 'team-a' } };
}

export function event(): Event {
  return {
    apiVersion: 'drover/v1',
    kind: 'Event',
    metadata: { name: 'web-1.17c2', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
    reason: 'Scheduled',
    message: 'Successfully assigned default/web-1 to node-1',
  };
}

/** A copy of `obj` changed by `change` (which may mutate freely). */
export function edit<T>(obj: T, change: (o: any) => void): T {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}
