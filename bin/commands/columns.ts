// The columns `get` prints for each kind, as kubectl users expect them.
import { formatSelector } from '../../core/api/index.js';
import type { ApiObject, Deployment, Endpoints, Event, Kind, LabelSelector, Namespace, Node, Pod, ReplicaSet, Service } from '../../core/api/index.js';
import { formatAge } from './table.js';

export interface Columns {
  readonly headers: readonly string[];
  readonly row: (o: ApiObject, nowMs: number) => string[];
}

const n = (v: number | undefined): string => String(v ?? 0);

/**
 * STATUS of a pod as kubectl shows it: Terminating once deletion is asked
 * for; the reason of a failed pod (Evicted, DeadlineExceeded); else why a
 * container is not running (a waiting reason such as CrashLoopBackOff, or
 * how it terminated: Completed, Error), the last container first; else the
 * pod's phase.
 */
export function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  const phase = p.status?.phase ?? 'Pending';
  if (phase === 'Failed' && p.status?.reason) return p.status.reason;
  for (const c of [...(p.status?.containerStatuses ?? [])].reverse()) {
    const waiting = c.state?.waiting?.reason;
    if (waiting) return waiting;
    const t = c.state?.terminated;
    if (t) return t.reason ?? (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);
  }
  return p.status?.reason ?? phase;
}

/** READY of a pod: ready containers over the pod's containers, `1/2`. */
export function podReady(p: Pod): string {
  const ready = (p.status?.containerStatuses ?? []).filter((c) => c.ready).length;
  return `${ready}/${p.spec.containers.length}`;
}

/** STATUS of a node: Ready, NotReady or Unknown from its Ready condition, with `,SchedulingDisabled` when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const s = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  return node.spec?.unschedulable ? `${s},SchedulingDisabled` : s;
}

/** Labels `node-role.drover.io/<role>` give a node its ROLES. */
export const NODE_ROLE_LABEL_PREFIX = 'node-role.drover.io/';

/** ROLES of a node: the roles its labels name, sorted, or `<none>`. */
export function nodeRoles(node: Node): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith(NODE_ROLE_LABEL_PREFIX) && k.length > NODE_ROLE_LABEL_PREFIX.length)
    .map((k) => k.slice(NODE_ROLE_LABEL_PREFIX.length))
    .sort();
  return roles.length > 0 ? roles.join(',') : '<none>';
}

function servicePorts(s: Service): string {
  const ports = s.spec.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`);
  return ports.length ? ports.join(',') : '<none>';
}

function endpointsList(e: Endpoints): string {
  const all = (e.subsets ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports?.length ? s.ports.map((p) => `${a.ip}:${p.port}`) : [a.ip])));
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

const age = (o: ApiObject, now: number): string => formatAge(o.metadata.creationTimestamp, now);

function columnsOf(kind: Kind, wide: boolean): Columns {
  switch (kind) {
    case 'Pod':
      return {
        headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(wide ? ['IP'] : []), 'NODE'],
        row: (o, now) => {
          const p = o as Pod;
          const restarts = (p.status?.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, 0);
          return [p.metadata.name, podReady(p), podStatus(p), String(restarts), age(o, now), ...(wide ? [p.status?.podIP ?? '<none>'] : []), p.spec.nodeName ?? '<none>'];
        },
      };
    case 'Deployment':
      return {
        headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', ...(wide ? ['SELECTOR'] : [])],
        row: (o, now) => {
          const d = o as Deployment;
          const s = d.status;
          return [d.metadata.name, `${n(s?.readyReplicas)}/${n(d.spec.replicas)}`, n(s?.updatedReplicas), n(s?.availableReplicas), age(o, now), ...(wide ? [selectorText(d.spec.selector)] : [])];
        },
      };
    case 'ReplicaSet':
      return {
        headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', ...(wide ? ['SELECTOR'] : [])],
        row: (o, now) => {
          const r = o as ReplicaSet;
          return [r.metadata.name, n(r.spec.replicas), n(r.status?.replicas), n(r.status?.readyReplicas), age(o, now), ...(wide ? [selectorText(r.spec.selector)] : [])];
        },
      };
    case 'Node':
      return {
        headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(wide ? ['INTERNAL-IP', 'CONTAINER-RUNTIME', 'CPU', 'MEMORY'] : [])],
        row: (o, now) => {
          const node = o as Node;
          const info = node.status?.nodeInfo;
          const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>';
          const cap = node.status?.capacity;
          const extra = wide ? [ip, info?.containerRuntimeVersion ?? '<none>', String(cap?.cpu ?? '<none>'), String(cap?.memory ?? '<none>')] : [];
          return [node.metadata.name, nodeStatus(node), nodeRoles(node), age(o, now), info?.droverVersion ?? '<none>', ...extra];
        },
      };
    case 'Service':
      return {
        headers: ['NAME', 'TYPE', 'PORT(S)', 'AGE', ...(wide ? ['SELECTOR'] : [])],
        row: (o, now) => {
          const s = o as Service;
          const sel = Object.entries(s.spec.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
          return [s.metadata.name, s.spec.type ?? 'ClusterIP', servicePorts(s), age(o, now), ...(wide ? [sel] : [])];
        },
      };
    case 'Endpoints':
      return { headers: ['NAME', 'ENDPOINTS', 'AGE'], row: (o, now) => [o.metadata.name, endpointsList(o as Endpoints), age(o, now)] };
    case 'Namespace':
      return { headers: ['NAME', 'STATUS', 'AGE'], row: (o, now) => [o.metadata.name, (o as Namespace).status?.phase ?? 'Active', age(o, now)] };
    case 'Event':
      return {
        headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
        row: (o, now) => {
          const e = o as Event;
          const obj = `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`;
          return [formatAge(e.lastTimestamp ?? e.metadata.creationTimestamp, now), e.type ?? 'Normal', e.reason ?? '', obj, e.message ?? ''];
        },
      };
  }
}

function selectorText(sel: LabelSelector | undefined): string {
  return (sel ? formatSelector(sel) : '') || '<none>';
}

/** The columns for `kind`, with NAMESPACE first when listing every namespace. */
export function columnsFor(kind: Kind, options: { wide: boolean; withNamespace: boolean }): Columns {
  const base = columnsOf(kind, options.wide);
  if (!options.withNamespace) return base;
  return { headers: ['NAMESPACE', ...base.headers], row: (o, now) => [o.metadata.namespace ?? '', ...base.row(o, now)] };
}
