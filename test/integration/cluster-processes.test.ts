import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Pod } from '../../core/api/index.js';
import type { LocalCluster } from '../../chaos/launcher/local-cluster.js';
import { Cleanup } from '../support/cleanup.js';
import { tempDir } from './fixtures/raft-cluster.js';
import { changeDeployment, describePods, eventually, isReadyNode, isReadyPod, podsOf, startLocalCluster } from './fixtures/local-cluster.js';

// A whole cluster of real processes: nats-server, three masters and three
// node agents running pods as processes (the process runtime), driven
// through the gRPC client as a user would.

const HTTP_SERVER = `require('http').createServer((q, s) => s.end(process.env.VERSION || 'v1')).listen(Number(process.env.DROVER_PORT_8080), '127.0.0.1')`;

function webDeployment(replicas: number): Deployment {
  return {
    apiVersion: 'drover/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'web',
              image: process.execPath,
              args: ['-e', HTTP_SERVER],
              env: [{ name: 'VERSION', value: 'v1' }],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
              resources: { requests: { cpu: '50m', memory: '32Mi' } },
            },
          ],
        },
      },
    },
  };
}

describe('a cluster of real processes (process runtime)', () => {
  const cleanup = new Cleanup();
  let cluster: LocalCluster;
  const ready = async (n: number) =>
    eventually(`${n} ready pods`, 30_000, async () => {
      const pods = (await podsOf(cluster.client, 'app=web')).filter((p) => p.metadata.deletionTimestamp === undefined);
      return pods.length === n && pods.every(isReadyPod) ? pods : undefined;
    }, () => describePods(cluster.client, 'app=web'));

  beforeAll(async () => {
    cluster = await startLocalCluster(cleanup, await tempDir(cleanup, 'drover-cluster'));
    await eventually('three Ready nodes', 30_000, async () => {
      const nodes = (await cluster.client.list('Node')).items;
      return nodes.length === 3 && nodes.every((n) => isReadyNode(n as never)) ? nodes : undefined;
    });
  }, 120_000);
  afterAll(() => cleanup.run(), 60_000);

  it('runs a deployment across the nodes, scales it up and down', async () => {
    await cluster.client.create(webDeployment(3));
    const three = await ready(3);
    expect(new Set(three.map((p) => p.spec.nodeName)).size).toBe(3);
    expect(three.every((p) => p.status?.containerStatuses?.[0]?.containerID?.startsWith('process://'))).toBe(true);

    await changeDeployment(cluster.client, 'web', (d) => ({ ...d, spec: { ...d.spec, replicas: 5 } }));
    await ready(5);
    await changeDeployment(cluster.client, 'web', (d) => ({ ...d, spec: { ...d.spec, replicas: 3 } }));
    await ready(3);
  }, 120_000);

  it('rolls out a new template with ready replicas never below replicas - maxUnavailable, and rolls back', async () => {
    let lowest = Number.POSITIVE_INFINITY;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const pods = await podsOf(cluster.client, 'app=web').catch(() => null);
        if (pods !== null) lowest = Math.min(lowest, pods.filter(isReadyPod).length);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await changeDeployment(cluster.client, 'web', (d) => {
      const t = structuredClone(d.spec.template);
      t.spec.containers[0]!.env = [{ name: 'VERSION', value: 'v2' }];
      return { ...d, spec: { ...d.spec, template: t } };
    });
    const done = await eventually('the rollout to v2', 60_000, async () => {
      const d = await cluster.client.get('Deployment', 'web', { namespace: 'default' });
      const pods = (await podsOf(cluster.client, 'app=web')).filter((p) => p.metadata.deletionTimestamp === undefined);
      const v2 = pods.filter((p) => p.spec.containers[0]?.env?.[0]?.value === 'v2' && isReadyPod(p));
      return d.status?.updatedReplicas === 3 && d.status.availableReplicas === 3 && v2.length === 3 && pods.length === 3 ? d : undefined;
    }, () => describePods(cluster.client, 'app=web'));
    watching = false;
    await watcher;
    // maxUnavailable 0: never fewer than 3 ready.
    expect(lowest).toBeGreaterThanOrEqual(3);
    expect(done.metadata.annotations?.['deployment.drover.io/revision']).toBe('2');

    // Roll back to revision 1: the template of v1 again, as revision 3.
    const { rollbackTarget } = await import('../../core/controllers/index.js');
    const sets = (await cluster.client.list('ReplicaSet', { namespace: 'default' })).items as never[];
    const target = rollbackTarget(done, sets, 1);
    expect(target.ok).toBe(true);
    if (!target.ok) return;
    await changeDeployment(cluster.client, 'web', (d) => ({ ...d, spec: { ...d.spec, template: target.value.template } }));
    await eventually('the rollback to v1', 60_000, async () => {
      const pods = (await podsOf(cluster.client, 'app=web')).filter((p) => p.metadata.deletionTimestamp === undefined);
      return pods.length === 3 && pods.every((p) => p.spec.containers[0]?.env?.[0]?.value === 'v1' && isReadyPod(p)) ? pods : undefined;
    }, () => describePods(cluster.client, 'app=web'));
    const d = await cluster.client.get('Deployment', 'web', { namespace: 'default' });
    expect(d.metadata.annotations?.['deployment.drover.io/revision']).toBe('3');
  }, 150_000);

  it('restarts a crashing container with back-off', async () => {
    await cluster.client.create({
      apiVersion: 'drover/v1',
      kind: 'Pod',
      metadata: { name: 'crasher', namespace: 'default', labels: { app: 'crasher' } },
      spec: { restartPolicy: 'Always', containers: [{ name: 'main', image: 'sh', args: ['-c', 'echo started; exit 3'] }] },
    } satisfies Pod);
    const pod = await eventually('two restarts with back-off', 30_000, async () => {
      const p = await cluster.client.get('Pod', 'crasher', { namespace: 'default' });
      const s = p.status?.containerStatuses?.[0];
      return s !== undefined && s.restartCount >= 2 && s.lastState?.terminated?.exitCode === 3 ? p : undefined;
    }, () => describePods(cluster.client, 'app=crasher'));
    const status = pod.status!.containerStatuses![0]!;
    expect(status.state?.waiting?.reason ?? (status.state?.running ? 'Running' : '')).toMatch(/CrashLoopBackOff|Running/);
    await cluster.client.delete('Pod', 'crasher', { namespace: 'default' });
    await eventually('the crasher gone', 30_000, async () => ((await podsOf(cluster.client, 'app=crasher')).length === 0 ? true : undefined));
  }, 60_000);

  it('moves the pods of a node agent killed with -9 to the other nodes', async () => {
    const before = await ready(3);
    const victim = before[0]!.spec.nodeName!;
    const started = Date.now();
    await cluster.killNode(victim);
    const after = await eventually('3 ready pods off the dead node', 30_000, async () => {
      const pods = (await podsOf(cluster.client, 'app=web')).filter((p) => p.metadata.deletionTimestamp === undefined);
      return pods.length === 3 && pods.every((p) => isReadyPod(p) && p.spec.nodeName !== victim) ? pods : undefined;
    }, () => describePods(cluster.client, 'app=web'));
    expect(after.every((p) => p.spec.nodeName !== victim)).toBe(true);
    process.stdout.write(`healed in ${Date.now() - started} ms after kill -9 of ${victim}\n`);
    // The node comes back: it is Ready again and runs none of its old pods.
    await cluster.startNode(victim);
    await eventually(`${victim} Ready again`, 30_000, async () => {
      const n = await cluster.client.get('Node', victim);
      return isReadyNode(n) ? n : undefined;
    });
  }, 90_000);
});
