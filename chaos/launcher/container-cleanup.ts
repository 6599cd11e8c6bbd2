import { join } from 'node:path';
import { WallClock } from '../../actors/index.js';
import { DockerRuntime, ProcessRuntime, type ContainerRuntime } from '../../nodes/runtime/index.js';

/**
 * Stops and removes every container a node's agent left (node agents leave
 * their containers running when they stop, for the next agent to adopt):
 * what a launcher does after stopping its nodes for good. Returns how many.
 */
export async function removeNodeContainers(node: { readonly name: string; readonly dataDir: string; readonly runtime: string }, graceMs = 2_000): Promise<number> {
  const clock = new WallClock();
  let runtime: ContainerRuntime;
  if (node.runtime === 'docker') runtime = await DockerRuntime.connect({ nodeName: node.name, clock });
  else if (node.runtime === 'process') runtime = new ProcessRuntime({ stateDir: join(node.dataDir, 'process-runtime'), clock });
  else return 0;
  try {
    const containers = await runtime.list();
    await Promise.all(
      containers.map(async (c) => {
        await runtime.stop(c.id, graceMs);
        await runtime.remove(c.id);
      }),
    );
    return containers.length;
  } finally {
    await runtime.close();
  }
}
