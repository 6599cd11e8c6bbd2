import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../../chaos/launcher/local-cluster.js';
import { sampleDeployment } from '../../chaos/start/index.js';
import { Cleanup } from '../support/cleanup.js';
import { prepareEngine } from './fixtures/docker-engine.js';
import { tempDir } from './fixtures/raft-cluster.js';
import { describePods, eventually, isReadyNode, isReadyPod, podsOf, startLocalCluster } from './fixtures/local-cluster.js';

// The docker runtime end to end: real masters and node agents whose pods are
// Docker containers (the drover/busybox:1 image the set-up builds), ports
// published on 127.0.0.1 only. Where no engine can run, the test is skipped
// and says why.

const engine = await prepareEngine();
if (engine.type === 'absent') console.log(`cluster-docker: skipped: no usable Docker engine here: ${engine.why}`);

describe.skipIf(engine.type !== 'ready')('a cluster whose nodes run Docker containers', () => {
  const cleanup = new Cleanup();
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await startLocalCluster(cleanup, await tempDir(cleanup, 'drover-docker'), { runtime: 'docker', nodes: 2 });
    await eventually('two Ready nodes', 30_000, async () => {
      const nodes = (await cluster.client.list('Node')).items;
      return nodes.length === 2 && nodes.every((n) => isReadyNode(n as never)) ? nodes : undefined;
    });
  }, 120_000);
  afterAll(() => cleanup.run(), 60_000);

  it('runs the sample deployment as containers that answer on 127.0.0.1, and removes them when the pods go', async () => {
    await cluster.client.create(sampleDeployment());
    const pods = await eventually('3 ready pods', 60_000, async () => {
      const ps = await podsOf(cluster.client, 'app=hello');
      return ps.length === 3 && ps.every(isReadyPod) ? ps : undefined;
    }, () => describePods(cluster.client, 'app=hello'));
    expect(pods.every((p) => p.status?.containerStatuses?.[0]?.containerID?.startsWith('docker://'))).toBe(true);

    // Each container publishes 8080 on 127.0.0.1 only, and answers there.
    const ports = execFileSync('docker', ['ps', '--filter', 'label=drover.pod.name', '--format', '{{.Labels}} {{.Ports}}'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => pods.some((p) => l.includes(p.metadata.uid!.slice(0, 8)) || l.includes(p.metadata.name)));
    expect(ports.length).toBe(3);
    for (const line of ports) {
      const m = /127\.0\.0\.1:(\d+)->8080\/tcp/.exec(line);
      expect(m, line).not.toBeNull();
      expect(line).not.toMatch(/0\.0\.0\.0:/);
      const body = await (await fetch(`http://127.0.0.1:${m![1]}/`)).text();
      expect(body).toMatch(/^hello from hello-\S+ on n[12]$/m);
    }

    await cluster.client.delete('Deployment', 'hello', { namespace: 'default' });
    await eventually('the pods and their containers gone', 60_000, async () => {
      const left = execFileSync('docker', ['ps', '-a', '--filter', 'label=drover.pod.name', '--format', '{{.Labels}}'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => pods.some((p) => l.includes(p.metadata.name)));
      return left.length === 0 && (await podsOf(cluster.client, 'app=hello')).length === 0 ? true : undefined;
    });
  }, 150_000);
});
