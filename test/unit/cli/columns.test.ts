import { describe, expect, it } from 'vitest';
import { columnsFor, nodeRoles, nodeStatus, podStatus } from '../../../bin/commands/columns.js';
import { printObjects } from '../../../bin/commands/printers.js';
import type { ContainerStatus, Deployment, ReplicaSet } from '../../../core/api/index.js';
import { deployment, node, pod, replicaSet } from './objects.js';

const NOW = Date.parse('2026-01-01T00:05:00Z');
const running = (name: string, ready: boolean, restartCount = 0): ContainerStatus => ({ name, image: 'nginx:1', ready, restartCount, state: { running: {} } });

describe('pod columns', () => {
  it('NAME READY STATUS RESTARTS AGE NODE; wide adds IP', () => {
    const p = pod('web', { nodeName: 'n1', containers: ['a', 'b'], status: { phase: 'Running', podIP: '10.0.0.7', containerStatuses: [running('a', true, 2), running('b', false, 1)] } });
    const cols = columnsFor('Pod', { wide: false, withNamespace: false });
    expect(cols.headers).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE']);
    expect(cols.row(p, NOW)).toEqual(['web', '1/2', 'Running', '3', '5m', 'n1']);
    const wide = columnsFor('Pod', { wide: true, withNamespace: true });
    expect(wide.headers).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
    expect(wide.row(p, NOW)).toEqual(['default', 'web', '1/2', 'Running', '3', '5m', '10.0.0.7', 'n1']);
    expect(cols.row(pod('new'), NOW)).toEqual(['new', '0/1', 'Pending', '0', '5m', '<none>']);
  });

  it('STATUS: Terminating, a waiting reason, how a container ended, the reason of a failed pod', () => {
    const crash: ContainerStatus = { name: 'c', image: 'x', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } };
    expect(podStatus(pod('p', { status: { phase: 'Running', containerStatuses: [crash] } }))).toBe('CrashLoopBackOff');
    expect(podStatus(pod('p', { deleting: true, status: { phase: 'Running', containerStatuses: [crash] } }))).toBe('Terminating');
    expect(podStatus(pod('p', { status: { phase: 'Pending', containerStatuses: [{ ...crash, state: { waiting: { reason: 'ContainerCreating' } } }] } }))).toBe('ContainerCreating');
    const ended = (exitCode: number, reason?: string): ContainerStatus => ({ name: 'c', image: 'x', ready: false, restartCount: 0, state: { terminated: { exitCode, ...(reason ? { reason } : {}) } } });
    expect(podStatus(pod('p', { status: { phase: 'Succeeded', containerStatuses: [ended(0, 'Completed')] } }))).toBe('Completed');
    expect(podStatus(pod('p', { status: { phase: 'Running', containerStatuses: [ended(137)] } }))).toBe('ExitCode:137');
    expect(podStatus(pod('p', { status: { phase: 'Failed', reason: 'Evicted', containerStatuses: [ended(1, 'Error')] } }))).toBe('Evicted');
    expect(podStatus(pod('p', { status: { phase: 'Running', containerStatuses: [running('c', true)] } }))).toBe('Running');
  });
});

describe('node columns', () => {
  it('NAME STATUS ROLES AGE VERSION', () => {
    const cols = columnsFor('Node', { wide: false, withNamespace: false });
    expect(cols.headers).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(cols.row(node('n1', { ready: 'True', version: '0.1.0', labels: { 'node-role.drover.io/worker': '', 'node-role.drover.io/edge': '', app: 'x' } }), NOW)).toEqual([
      'n1',
      'Ready',
      'edge,worker',
      '5m',
      '0.1.0',
    ]);
    expect(cols.row(node('n2'), NOW)).toEqual(['n2', 'Unknown', '<none>', '5m', '<none>']);
  });

  it('STATUS from the Ready condition, with SchedulingDisabled when cordoned', () => {
    expect(nodeStatus(node('n', { ready: 'True' }))).toBe('Ready');
    expect(nodeStatus(node('n', { ready: 'False', unschedulable: true }))).toBe('NotReady,SchedulingDisabled');
    expect(nodeStatus(node('n', { ready: 'Unknown' }))).toBe('Unknown');
    expect(nodeStatus(node('n', { ready: 'True', unschedulable: false }))).toBe('Ready');
    expect(nodeRoles(node('n', { labels: { 'node-role.drover.io/': '' } }))).toBe('<none>');
  });
});

describe('workload columns', () => {
  it('ReplicaSets: NAME DESIRED CURRENT READY AGE', () => {
    const rs: ReplicaSet = { ...replicaSet(1, 'nginx:1', { replicas: 3 }), status: { replicas: 2, readyReplicas: 1 } };
    rs.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    const cols = columnsFor('ReplicaSet', { wide: false, withNamespace: false });
    expect(cols.headers).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(cols.row(rs, NOW)).toEqual(['web-h1', '3', '2', '1', '5m']);
  });

  it('Deployments: NAME READY UP-TO-DATE AVAILABLE AGE, as a table', () => {
    const d: Deployment = deployment({ replicas: 3, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } });
    d.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    const lines = printObjects('Deployment', [d], 'table', { single: false, allNamespaces: false, nowMs: NOW }).split('\n');
    expect(lines).toEqual(['NAME   READY   UP-TO-DATE   AVAILABLE   AGE', 'web    2/3     3            2           5m']);
  });
});
