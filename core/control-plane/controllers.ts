import { isKind, matches, type ApiObject, type Deployment, type Event, type Kind, type Pod, type ReplicaSet } from '../api/index.js';
import type { CacheChange, ObjectCache } from '../cache/index.js';
import type { ControllerDefinition } from '../control-loop/index.js';
import {
  controllerOf,
  deleteOf,
  ownerKeyOf,
  reconcileDeployment,
  reconcileGarbage,
  reconcileNodeLifecycle,
  reconcileReplicaSet,
  type NodeLifecycleOptions,
} from '../controllers/index.js';
import type { HeartbeatTable } from '../master/index.js';

export interface ControllerSettings {
  readonly nodeLifecycle: Partial<NodeLifecycleOptions>;
  /** Events older than this are deleted. Default 1 hour (as the Kubernetes API server's event TTL). */
  readonly eventTtlMs: number;
}

export interface ControllerContext {
  readonly heartbeats: HeartbeatTable;
  readonly leaderSinceMs: number;
  readonly settings: Partial<ControllerSettings>;
}

const keyOf = (kind: Kind, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

function parseKey(key: string): { kind: Kind; namespace: string; name: string } | undefined {
  const [kind, namespace = '', name = ''] = key.split('/');
  return kind !== undefined && isKind(kind) ? { kind, namespace, name } : undefined;
}

function inNamespace<T extends ApiObject>(objects: Iterable<T>, namespace: string | undefined): T[] {
  const out: T[] = [];
  for (const o of objects) if (o.metadata.namespace === namespace) out.push(o);
  return out;
}

/** The key of obj's controller of `kind`, or of every object of `kind` in its namespace whose selector matches it when it has none (adoption). */
function ownerKeys(obj: ApiObject, kind: 'ReplicaSet' | 'Deployment', cache: ObjectCache): string[] {
  const ref = controllerOf(obj);
  if (ref !== undefined) return ref.kind === kind ? [keyOf(kind, obj.metadata.namespace, ref.name)] : [];
  const out: string[] = [];
  for (const owner of cache.list(kind)) {
    if (owner.metadata.namespace !== obj.metadata.namespace) continue;
    if (matches(owner.spec.selector, obj.metadata.labels ?? {})) out.push(keyOf(kind, owner.metadata.namespace, owner.metadata.name));
  }
  return out;
}

/** A change's objects before and after (a changed owner or label moves a pod between keys). */
const versions = (c: CacheChange): ApiObject[] => (c.old !== undefined && c.old !== c.object ? [c.object, c.old] : [c.object]);

function replicaSetController(): ControllerDefinition {
  return {
    name: 'replicaset-controller',
    keysOf: (c, cache) => {
      if (c.kind === 'ReplicaSet') return [keyOf('ReplicaSet', c.object.metadata.namespace, c.object.metadata.name)];
      if (c.kind !== 'Pod') return [];
      return versions(c).flatMap((o) => ownerKeys(o, 'ReplicaSet', cache));
    },
    allKeys: (cache) => [...cache.list('ReplicaSet')].map((rs) => keyOf('ReplicaSet', rs.metadata.namespace, rs.metadata.name)),
    reconcile: (key, cache, nowMs, newSuffix) => {
      const k = parseKey(key);
      const rs = k && (cache.get('ReplicaSet', k.namespace, k.name) as ReplicaSet | undefined);
      if (!rs) return null;
      return reconcileReplicaSet(rs, inNamespace<Pod>(cache.list('Pod'), rs.metadata.namespace), nowMs, { newSuffix });
    },
  };
}

function deploymentController(): ControllerDefinition {
  return {
    name: 'deployment-controller',
    keysOf: (c, cache) => {
      if (c.kind === 'Deployment') return [keyOf('Deployment', c.object.metadata.namespace, c.object.metadata.name)];
      if (c.kind === 'ReplicaSet') return versions(c).flatMap((o) => ownerKeys(o, 'Deployment', cache));
      if (c.kind !== 'Pod') return [];
      // A pod's readiness moves its deployment's status: find it through the pod's ReplicaSet.
      const out: string[] = [];
      for (const o of versions(c)) {
        const ref = controllerOf(o);
        if (ref?.kind !== 'ReplicaSet') continue;
        const rs = cache.get('ReplicaSet', o.metadata.namespace, ref.name);
        const dref = rs && controllerOf(rs);
        if (dref?.kind === 'Deployment') out.push(keyOf('Deployment', o.metadata.namespace, dref.name));
      }
      return out;
    },
    allKeys: (cache) => [...cache.list('Deployment')].map((d) => keyOf('Deployment', d.metadata.namespace, d.metadata.name)),
    reconcile: (key, cache, nowMs) => {
      const k = parseKey(key);
      const d = k && (cache.get('Deployment', k.namespace, k.name) as Deployment | undefined);
      if (!d) return null;
      const ns = d.metadata.namespace;
      return reconcileDeployment(d, inNamespace<ReplicaSet>(cache.list('ReplicaSet'), ns), inNamespace<Pod>(cache.list('Pod'), ns), nowMs);
    },
  };
}

const NODES_KEY = 'nodes';

function nodeLifecycleController(ctx: ControllerContext): ControllerDefinition {
  return {
    name: 'node-lifecycle-controller',
    // Heartbeats are not in the store: the reconcile says when to look again
    // (requeueAfterMs). A node coming or going is looked at at once; other
    // node writes (labels, status) are not, since one reconcile reads every
    // node and pod and a thousand agents re-registering would run it a
    // thousand times.
    keysOf: (c) => ((c.kind === 'Node' && c.type !== 'MODIFIED') || (c.kind === 'Pod' && c.type === 'ADDED' && (c.object as Pod).spec.nodeName !== undefined) ? [NODES_KEY] : []),
    allKeys: () => [NODES_KEY],
    reconcile: (_key, cache, nowMs) => {
      const podsByNode = new Map<string, Pod[]>();
      for (const p of cache.list('Pod')) {
        const n = p.spec.nodeName;
        if (n === undefined) continue;
        let list = podsByNode.get(n);
        if (list === undefined) podsByNode.set(n, (list = []));
        list.push(p);
      }
      const result = reconcileNodeLifecycle({
        nodes: [...cache.list('Node')],
        lastHeartbeatMs: ctx.heartbeats.lastSeen(),
        leaderSinceMs: ctx.leaderSinceMs,
        nowMs,
        podsByNode,
        options: ctx.settings.nodeLifecycle ?? {},
      });
      // An unreachable node asks for no recheck of its own; keep looking while
      // there are nodes (their heartbeats and taints are not store events).
      return result.requeueAfterMs === undefined && cache.size('Node') > 0 ? { ...result, requeueAfterMs: 1_000 } : result;
    },
  };
}

const GC_KEY = 'garbage';
const OWNER_KINDS: readonly Kind[] = ['Deployment', 'ReplicaSet', 'Pod', 'Node'];

function garbageCollector(): ControllerDefinition {
  return {
    name: 'garbage-collector',
    keysOf: (c) => (c.type === 'DELETED' || (c.type === 'ADDED' && (c.object.metadata.ownerReferences?.length ?? 0) > 0) ? [GC_KEY] : []),
    allKeys: () => [GC_KEY],
    reconcile: (_key, cache) => {
      const owners = new Set<string>();
      const dependents: ApiObject[] = [];
      for (const kind of OWNER_KINDS) {
        for (const o of cache.list(kind)) {
          const k = ownerKeyOf(o);
          if (k !== undefined) owners.add(k);
          if ((o.metadata.ownerReferences?.length ?? 0) > 0) dependents.push(o);
        }
      }
      return reconcileGarbage(dependents, owners);
    },
  };
}

const EVENTS_KEY = 'events';
const DEFAULT_EVENT_TTL_MS = 3_600_000;

function eventTtlController(ctx: ControllerContext): ControllerDefinition {
  const ttlMs = ctx.settings.eventTtlMs ?? DEFAULT_EVENT_TTL_MS;
  return {
    name: 'event-ttl-controller',
    keysOf: () => [],
    allKeys: () => [EVENTS_KEY],
    reconcile: (_key, cache, nowMs) => {
      const actions = [];
      let soonest = ttlMs;
      for (const e of cache.list('Event') as IterableIterator<Event>) {
        const at = Date.parse(e.lastTimestamp ?? e.metadata.creationTimestamp ?? '');
        if (!Number.isFinite(at)) continue;
        const left = at + ttlMs - nowMs;
        if (left <= 0) actions.push(deleteOf(e));
        else soonest = Math.min(soonest, left);
      }
      return { actions, requeueAfterMs: Math.max(1_000, soonest) };
    },
  };
}

/** Every controller the leader runs, with what they need. */
export function controllerDefinitions(ctx: ControllerContext): ControllerDefinition[] {
  return [replicaSetController(), deploymentController(), nodeLifecycleController(ctx), garbageCollector(), eventTtlController(ctx)];
}
