import type { Simulation } from '../../../actors/index.js';
import type { ApiObject } from '../../../core/api/index.js';
import { decodeObject } from '../../../core/master/index.js';
import { hollowFacts, nodeAgent } from '../../../nodes/agent/index.js';
import { podWorker } from '../../../nodes/pod-worker/index.js';
import { HollowProber } from '../../../nodes/probes/index.js';
import { HollowRuntime } from '../../../nodes/runtime/index.js';
import { IDS, simMasters, type SimMasters, type SimMastersOptions } from '../master/cluster.js';

export interface HollowCluster extends SimMasters {
  /** Starts (or restarts) hollow node `name` in its own simulated system. */
  startNode(name: string): Promise<void>;
  readonly runtimes: Map<string, HollowRuntime>;
}

/** Three simulated masters with the control plane, and hollow node agents, each node a system of its own. */
export async function hollowCluster(sim: Simulation, nodeNames: readonly string[], opts: Partial<SimMastersOptions> = {}, agent: { relistIntervalMs?: number } = {}): Promise<HollowCluster> {
  const m = await simMasters(sim, { controlPlane: true, ...opts });
  const runtimes = new Map<string, HollowRuntime>();
  const startNode = async (name: string) => {
    const sys = await sim.system(name);
    // A node's containers outlive its agent (adoption): keep the runtime across restarts.
    let runtime = runtimes.get(name);
    if (runtime === undefined) runtimes.set(name, (runtime = new HollowRuntime({ clock: sim.clock, idPrefix: name })));
    const rt = runtime;
    const prober = new HollowProber();
    const facts = hollowFacts(name, 'sim');
    sys.spawn(
      nodeAgent({
        nodeName: name,
        masters: IDS,
        runtime: rt,
        facts,
        podWorker: (pod, report) => podWorker({ pod, runtime: rt, prober, nodeName: name, hostIP: facts.hostIP, report }),
        // Frames are dropped here, and a dropped watch event is only found by a list.
        relistIntervalMs: agent.relistIntervalMs ?? 5_000,
      }),
      'agent',
    );
  };
  for (const n of nodeNames) await startNode(n);
  return { ...m, startNode, runtimes };
}

/** What the most advanced master's store holds under `prefix`, now: a synchronous read, for runUntil's predicates. */
export function stored<T extends ApiObject>(c: SimMasters, prefix: string): T[] {
  let best: T[] = [];
  let bestRevision = -1;
  for (const store of c.stores.values()) {
    if (store.revision <= bestRevision) continue;
    bestRevision = store.revision;
    best = store.range({ prefix }).kvs.map((kv) => decodeObject(kv) as T);
  }
  return best;
}
