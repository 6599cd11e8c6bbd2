// In-memory objects for the CLI tests.
import type { Deployment, DeploymentStatus, Node, Pod, PodTemplateSpec, ReplicaSet } from '../../../core/api/index.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../../../core/controllers/index.js';

export function template(image: string): PodTemplateSpec {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } };
}

export function deployment(overrides: { image?: string; replicas?: number; paused?: boolean; generation?: number; status?: DeploymentStatus; annotations?: Record<string, string> } = {}): Deployment {
  return {
    apiVersion: 'drover/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'uid-web',
      generation: overrides.generation ?? 1,
      ...(overrides.annotations ? { annotations: overrides.annotations } : {}),
    },
    spec: {
      replicas: overrides.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(overrides.image ?? 'nginx:2'),
      ...(overrides.paused !== undefined ? { paused: overrides.paused } : {}),
    },
    ...(overrides.status ? { status: overrides.status } : {}),
  };
}

/** A set of `owner` for revision `revision` running `image`, with the hash label the controller adds. */
export function replicaSet(revision: number, image: string, options: { owner?: Deployment; replicas?: number; annotations?: Record<string, string> } = {}): ReplicaSet {
  const owner = options.owner ?? deployment();
  const hash = `h${revision}`;
  const t = template(image);
  return {
    apiVersion: 'drover/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`,
      namespace: 'default',
      uid: `uid-rs-${revision}`,
      labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash },
      annotations: { [REVISION_ANNOTATION]: String(revision), ...options.annotations },
      ownerReferences: [{ apiVersion: 'drover/v1', kind: 'Deployment', name: owner.metadata.name, uid: owner.metadata.uid!, controller: true }],
    },
    spec: {
      replicas: options.replicas ?? 0,
      selector: { matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash } },
      template: { ...t, metadata: { labels: { ...t.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } } },
    },
  };
}

export function pod(name: string, options: { nodeName?: string; namespace?: string; owned?: boolean; status?: Pod['status']; deleting?: boolean; containers?: string[] } = {}): Pod {
  return {
    apiVersion: 'drover/v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      uid: `uid-${name}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...(options.owned ? { ownerReferences: [{ apiVersion: 'drover/v1', kind: 'ReplicaSet', name: 'web-h1', uid: 'uid-rs-1', controller: true }] } : {}),
      ...(options.deleting ? { deletionTimestamp: '2026-01-01T00:04:30Z' } : {}),
    },
    spec: { containers: (options.containers ?? ['c']).map((c) => ({ name: c, image: 'nginx:1' })), ...(options.nodeName ? { nodeName: options.nodeName } : {}) },
    ...(options.status ? { status: options.status } : {}),
  };
}

export function node(name: string, options: { ready?: 'True' | 'False' | 'Unknown'; unschedulable?: boolean; labels?: Record<string, string>; version?: string } = {}): Node {
  return {
    apiVersion: 'drover/v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', ...(options.labels ? { labels: options.labels } : {}) },
    ...(options.unschedulable !== undefined ? { spec: { unschedulable: options.unschedulable } } : {}),
    status: {
      ...(options.ready ? { conditions: [{ type: 'Ready', status: options.ready }] } : {}),
      ...(options.version ? { nodeInfo: { droverVersion: options.version } } : {}),
    },
  };
}
