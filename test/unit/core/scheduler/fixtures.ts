// Nodes, pods and plugin harnesses for the scheduler's tests.

import type { Affinity, Container, Node, Pod, PodPhase, Protocol, Quantity, Taint, Toleration } from '../../../../core/api/index.js';
import { podInfoOf, run, SchedulerCache } from '../../../../core/scheduler/index.js';
import type { FilterPlugin, FilterStatus, ScorePlugin } from '../../../../core/scheduler/index.js';

export interface NodeOptions {
  cpu?: Quantity;
  memory?: Quantity;
  pods?: Quantity;
  labels?: Record<string, string>;
  taints?: Taint[];
  ready?: boolean;
  unschedulable?: boolean;
}

export function makeNode(name: string, o: NodeOptions = {}): Node {
  return {
    apiVersion: 'drover/v1',
    kind: 'Node',
    metadata: { name, labels: { 'drover.io/hostname': name, ...o.labels } },
    spec: { ...(o.unschedulable !== undefined ? { unschedulable: o.unschedulable } : {}), ...(o.taints !== undefined ? { taints: o.taints } : {}) },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', ...(o.pods !== undefined ? { pods: o.pods } : {}) },
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

export interface PodOptions {
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  cpu?: Quantity;
  memory?: Quantity;
  nodeName?: string;
  phase?: PodPhase;
  hostPorts?: (number | { port: number; protocol: Protocol })[];
  /** Controller owner uid. */
  owner?: string;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  containers?: Container[];
}

export function makePod(name: string, o: PodOptions = {}): Pod {
  const requests = { ...(o.cpu !== undefined ? { cpu: o.cpu } : {}), ...(o.memory !== undefined ? { memory: o.memory } : {}) };
  const ports = (o.hostPorts ?? []).map((p, i) =>
    typeof p === 'number' ? { containerPort: 8000 + i, hostPort: p } : { containerPort: 8000 + i, hostPort: p.port, protocol: p.protocol },
  );
  const container: Container = {
    name: 'main',
    image: 'app:1',
    ...(Object.keys(requests).length > 0 ? { resources: { requests } } : {}),
    ...(ports.length > 0 ? { ports } : {}),
  };
  return {
    apiVersion: 'drover/v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? `uid-${name}`,
      ...(o.labels !== undefined ? { labels: o.labels } : {}),
      ...(o.owner !== undefined
        ? { ownerReferences: [{ apiVersion: 'drover/v1', kind: 'ReplicaSet', name: `rs-${o.owner}`, uid: o.owner, controller: true }] }
        : {}),
    },
    spec: {
      containers: o.containers ?? [container],
      ...(o.nodeName !== undefined ? { nodeName: o.nodeName } : {}),
      ...(o.tolerations !== undefined ? { tolerations: o.tolerations } : {}),
      ...(o.nodeSelector !== undefined ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.affinity !== undefined ? { affinity: o.affinity } : {}),
    },
    ...(o.phase !== undefined ? { status: { phase: o.phase } } : {}),
  };
}

/** A cache holding these nodes and (bound) pods. */
export function cacheOf(nodes: readonly Node[], pods: readonly Pod[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const node of nodes) cache.upsertNode(node);
  for (const pod of pods) cache.upsertPod(pod);
  return cache;
}

/** What a filter says about the pod on one node of the cache; `skipped` when its preFilter skips the pod. */
export function filterOn(plugin: FilterPlugin<unknown>, pod: Pod, nodeName: string, cache: SchedulerCache): FilterStatus | 'skipped' {
  const info = podInfoOf(pod);
  const prepared = plugin.preFilter?.(info, cache) ?? run(undefined);
  if (prepared.type === 'skip') return 'skipped';
  const node = cache.nodeInfo(nodeName);
  if (node === undefined) throw new Error(`no node ${nodeName}`);
  return plugin.filter(prepared.state, info, node);
}

/** Reason of a filter's verdict, or 'ok' / 'skipped'. */
export function verdict(plugin: FilterPlugin<unknown>, pod: Pod, nodeName: string, cache: SchedulerCache): string {
  const status = filterOn(plugin, pod, nodeName, cache);
  if (status === 'skipped') return 'skipped';
  if (status.code === 'Success') return 'ok';
  if (status.code === 'Error') return `error: ${status.message}`;
  return status.reason;
}

/** A score plugin's normalized scores over every node of the cache, by node name; undefined when it skips the pod. */
export function scoresOf(plugin: ScorePlugin<unknown>, pod: Pod, cache: SchedulerCache): Record<string, number> | undefined {
  const info = podInfoOf(pod);
  const prepared = plugin.preScore?.(info, cache) ?? run(undefined);
  if (prepared.type === 'skip') return undefined;
  const nodes = cache.nodeInfos;
  const scores = new Float64Array(nodes.length);
  nodes.forEach((node, i) => (scores[i] = plugin.score(prepared.state, info, node)));
  plugin.normalize?.(prepared.state, scores, nodes.length);
  return Object.fromEntries(nodes.map((node, i) => [node.name, scores[i]!]));
}

/** A deterministic tie breaker from a seed (a small LCG), for determinism tests. */
export function seededPick(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

export const firstPick = (): number => 0;
