import { describe, expect, it } from 'vitest';
import { simulate, type Simulation } from '../../../actors/index.js';
import type { Node, Pod } from '../../../core/api/index.js';
import type { ApiRequest } from '../../../core/master/index.js';
import { forEachSeed, simSeeds } from '../seeds.js';
import { IDS } from '../master/cluster.js';
import { hollowCluster, stored, type HollowCluster } from './hollow-cluster.js';

const FILE = 'test/sim/cluster/heal.test.ts';
const NODES = Array.from({ length: 10 }, (_, i) => `n${i + 1}`);
const REPLICAS = 6;

const deployment = {
  apiVersion: 'drover/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'busybox' }], terminationGracePeriodSeconds: 1 } },
  },
};

const isReady = (n: Node) => n.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'True';

/** Healthy: REPLICAS pods Running on Ready nodes, none terminating, and every node runs only its own live pods; else what is not. */
function unconverged(c: HollowCluster, up: ReadonlySet<string>): string | null {
  const pods = stored<Pod>(c, '/registry/pods/');
  const ready = new Set(stored<Node>(c, '/registry/nodes/').filter(isReady).map((n) => n.metadata.name));
  const good = pods.filter((p) => p.status?.phase === 'Running' && p.metadata.deletionTimestamp === undefined && ready.has(p.spec.nodeName ?? ''));
  if (good.length !== REPLICAS || pods.length !== REPLICAS) {
    return `pods: ${pods.map((p) => `${p.metadata.name}@${p.spec.nodeName}:${p.status?.phase}${p.metadata.deletionTimestamp ? ':terminating' : ''}`).join(' ')}; ready nodes: ${[...ready].join(',')}`;
  }
  const bound = new Map(pods.map((p) => [p.metadata.uid!, p.spec.nodeName]));
  for (const name of up) {
    for (const ctr of c.runtimes.get(name)!.snapshot()) {
      if (ctr.state === 'running' && bound.get(ctr.podUid) !== name) return `${name} still runs ${ctr.podNamespace}/${ctr.podName} (${ctr.podUid}), bound to ${bound.get(ctr.podUid) ?? 'nothing'}`;
    }
  }
  return null;
}
const converged = (c: HollowCluster, up: ReadonlySet<string>) => unconverged(c, up) === null;

/** Safety at every step: a pod (uid) runs on one node at most. */
function runsOnce(c: HollowCluster): string | null {
  const where = new Map<string, string>();
  for (const [name, rt] of c.runtimes) {
    for (const ctr of rt.snapshot()) {
      if (ctr.state !== 'running') continue;
      const other = where.get(ctr.podUid);
      if (other !== undefined && other !== name) return `pod ${ctr.podUid} runs on ${other} and ${name}`;
      where.set(ctr.podUid, name);
    }
  }
  return null;
}

async function create(sim: Simulation, c: HollowCluster, object: unknown): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    // Frames are dropped here: an ask may go unanswered, and is asked again.
    const r = await sim.settle(c.api(IDS[attempt % 3]!)({ type: 'create', object } satisfies ApiRequest)).catch(() => null);
    if (r !== null && (r.ok || r.error.code === 'ALREADY_EXISTS')) return;
    await sim.runFor(500);
  }
  throw new Error('could not create the deployment');
}

describe('self-healing in the simulated world: 3 masters, 10 hollow nodes', () => {
  it('restores the replicas after node crashes and partitions, and no pod runs on two nodes', async () => {
    await forEachSeed(FILE, simSeeds(10), async (seed) => {
      await simulate({ seed, faults: { dropRate: 0.01, minDelayMs: 1, maxDelayMs: 5 } }, async (sim) => {
        const c = await hollowCluster(sim, NODES);
        await sim.runFor(2_000);
        await create(sim, c, deployment);
        const up = new Set(NODES);
        const allReady = () => stored<Node>(c, '/registry/nodes/').filter(isReady).length === NODES.length;
        expect(await sim.runUntil(() => allReady() && converged(c, up), 30_000)).toBe(true);

        let violation: string | null = null;
        const step = async (ms: number) => {
          const end = sim.clock.now() + ms;
          while (sim.clock.now() < end && violation === null) {
            await sim.runFor(100);
            violation ??= runsOnce(c);
          }
        };
        for (let round = 0; round < 3; round++) {
          // Crash a node that runs a pod, cut another off; both come back later.
          const pods = stored<Pod>(c, '/registry/pods/');
          const busy = [...new Set(pods.map((p) => p.spec.nodeName!).filter((n) => up.has(n)))];
          const crashed = busy[sim.random.int(busy.length)]!;
          sim.crash(crashed);
          up.delete(crashed);
          const others = [...up];
          const cut = others[sim.random.int(others.length)]!;
          sim.network.isolate(cut);
          up.delete(cut);
          // While both are away, their pods are evicted and run elsewhere.
          const start = sim.clock.now();
          let away: string | null = 'not yet';
          // Healed means: both judged not Ready, and the replicas back on the others.
          const judged = () => stored<Node>(c, '/registry/nodes/').filter((n) => (n.metadata.name === crashed || n.metadata.name === cut) && !isReady(n)).length === 2;
          while (sim.clock.now() - start < 15_000 && violation === null && (away = judged() ? unconverged(c, up) : `not judged yet: ${stored<Node>(c, '/registry/nodes/').map((n) => `${n.metadata.name}=${n.status?.conditions?.find((x) => x.type === 'Ready')?.status}`).join(' ')}`) !== null) await step(100);
          expect(violation).toBeNull();
          expect(away, `round ${round}: not healed with ${crashed} down and ${cut} cut off: ${away}`).toBeNull();
          await step(2_000);
          sim.network.heal();
          up.add(cut);
          await c.startNode(crashed);
          up.add(crashed);
          expect(violation).toBeNull();
          // Everyone back: the returned nodes drop the pods that went elsewhere.
          expect(await sim.runUntil(allReady, 15_000)).toBe(true);
          const healed = await sim.runUntil(() => converged(c, up), 30_000);
          expect(healed, `round ${round}: not converged: ${unconverged(c, up)}`).toBe(true);
        }
        expect(violation).toBeNull();
      });
    });
  });
});
