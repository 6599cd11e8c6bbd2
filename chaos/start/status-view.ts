import Table from 'cli-table3';
import type { Deployment, Node, Pod } from '../../core/api/index.js';
import type { ClusterStatus } from '../../core/client/index.js';

/** What the live status shows, as read from the masters. */
export interface ClusterView {
  readonly status: ClusterStatus | null;
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  readonly deployments: readonly Deployment[];
  /** Why the masters could not be read, if they could not. */
  readonly error?: string;
}

function table(headers: string[], rows: string[][]): string {
  const t = new Table({ head: headers, style: { head: [], border: [], compact: true }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  t.push(...rows);
  return t.toString();
}

/** Bytes as people read them: 23.5Gi, 512Mi. */
function bytes(q: string | number | undefined): string {
  const n = Number(q);
  if (q === undefined || !Number.isFinite(n)) return String(q ?? '');
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)}Gi`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)}Mi`;
  return String(n);
}

function ready(conditions: readonly { type: string; status: string }[] | undefined): string {
  return conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

function podState(p: Pod): string {
  if (p.metadata.deletionTimestamp !== undefined) return 'Terminating';
  const waiting = p.status?.containerStatuses?.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
  return waiting ?? p.status?.phase ?? 'Pending';
}

/** The live status as text: masters and the leader, nodes, deployments, pods and where they run. */
export function renderClusterView(v: ClusterView): string {
  const out: string[] = [];
  if (v.error !== undefined) out.push(`(masters not answering: ${v.error})`);
  if (v.status !== null) {
    out.push(`Masters (leader ${v.status.leader || 'none'}, term ${v.status.term}, commit ${v.status.commit})`);
    out.push(table(['MASTER', 'ROLE', 'TERM', 'APPLIED', 'LAG'], v.status.masters.map((m) => [m.id, m.reachable ? (m.role ?? '?') : 'unreachable', String(m.term ?? ''), String(m.applied ?? ''), String(m.lag ?? '')])));
  }
  out.push('Nodes');
  out.push(
    table(
      ['NODE', 'READY', 'CPU', 'MEMORY', 'PODS', 'RUNTIME'],
      v.nodes.map((n) => {
        const name = n.metadata.name;
        const running = v.pods.filter((p) => p.spec.nodeName === name && p.metadata.deletionTimestamp === undefined).length;
        return [name, ready(n.status?.conditions) + (n.spec?.unschedulable ? ',SchedulingDisabled' : ''), String(n.status?.allocatable?.cpu ?? ''), bytes(n.status?.allocatable?.memory), String(running), n.status?.nodeInfo?.containerRuntimeVersion ?? ''];
      }),
    ),
  );
  out.push('Deployments');
  out.push(
    table(
      ['DEPLOYMENT', 'READY', 'UP-TO-DATE', 'AVAILABLE'],
      v.deployments.map((d) => [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`, String(d.status?.updatedReplicas ?? 0), String(d.status?.availableReplicas ?? 0)]),
    ),
  );
  out.push('Pods');
  out.push(
    table(
      ['POD', 'STATUS', 'READY', 'RESTARTS', 'NODE'],
      [...v.pods]
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
        .map((p) => {
          const cs = p.status?.containerStatuses ?? [];
          return [p.metadata.name, podState(p), `${cs.filter((c) => c.ready).length}/${p.spec.containers.length}`, String(cs.reduce((n, c) => n + c.restartCount, 0)), p.spec.nodeName ?? '<pending>'];
        }),
    ),
  );
  return out.join('\n');
}
