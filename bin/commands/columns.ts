// The columns `get` prints for each kind, as kubectl users expect them.
import { formatSelector } from '../../core/api/index.js';
import type { ApiObject, Deployment, Endpoints, Event, Kind, LabelSelector, Namespace, Node, Pod, ReplicaSet, Service } from '../../core/api/index.js';
import { formatAge } from './table.js';

export interface Columns {
  readonly headers: readonly string[];
  readonly row: (o: ApiObject, nowMs: number) => string[];
}

const n = (v: number | undefined): string => String(v ?? 0);

function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  for (const c of p.status?.containerStatuses ?? []) {
    const reason = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
    if (reason && !c.ready && p.status?.phase !== 'Succeeded') return reason;
  }
  return p.status?.reason ?? p.status?.phase ?? 'Pending';
}

function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const s = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  return node.spec?.unschedulable ? `${s},SchedulingDisabled` : s;
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
        headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(wide ? ['IP', 'NODE'] : [])],
        row: (o, now) => {
          const p = o as Pod;
          const cs = p.status?.containerStatuses ?? [];
          const ready = `${cs.filter((c) => c.ready).length}/${p.spec.containers.length}`;
          const restarts = cs.reduce((sum, c) => sum + c.restartCount, 0);
          return [p.metadata.name, ready, podStatus(p), String(restarts), age(o, now), ...(wide ? [p.status?.podIP ?? '<none>', p.spec.nodeName ?? '<none>'] : [])];
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
        headers: ['NAME', 'STATUS', 'AGE', ...(wide ? ['INTERNAL-IP', 'CPU', 'MEMORY'] : [])],
        row: (o, now) => {
          const node = o as Node;
          const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>';
          const cap = node.status?.capacity;
          return [node.metadata.name, nodeStatus(node), age(o, now), ...(wide ? [ip, String(cap?.cpu ?? '<none>'), String(cap?.memory ?? '<none>')] : [])];
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
