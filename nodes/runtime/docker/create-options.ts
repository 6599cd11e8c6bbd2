import type { ContainerCreateOptions } from 'dockerode';
import { portEnv } from '../port-env.js';
import type { ContainerConfig, PortMapping } from '../types.js';
import { labelsFor } from './labels.js';
import { containerNameFor } from './naming.js';

/** Where published ports listen: the node's loopback only. */
export const PUBLISH_HOST_IP = '127.0.0.1';

/** Docker's key for a container port, e.g. `80/tcp`. */
export function portKey(p: Pick<PortMapping, 'containerPort' | 'protocol'>): string {
  return `${p.containerPort}/${p.protocol === 'UDP' ? 'udp' : 'tcp'}`;
}

/**
 * The engine's create request for `config` on node `nodeName`:
 * - `command` replaces the image's entrypoint and `args` its cmd, as in a pod spec;
 * - every declared port is published on 127.0.0.1, at its hostPort when given,
 *   else at one the engine picks, and `DROVER_PORT_<containerPort>` is the
 *   container port itself (the process runtime's moved port, kept in place);
 * - cpuMillis becomes NanoCpus and memoryBytes Memory (swap included, so no
 *   swap on top).
 */
export function createOptionsFor(nodeName: string, config: ContainerConfig): ContainerCreateOptions {
  const listenPorts: Record<number, number> = {};
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of config.ports) {
    listenPorts[p.containerPort] = p.containerPort;
    const key = portKey(p);
    exposed[key] = {};
    bindings[key] = [{ HostIp: PUBLISH_HOST_IP, HostPort: p.hostPort !== undefined ? String(p.hostPort) : '' }];
  }
  const env = { ...config.env, ...portEnv(listenPorts) };
  const { cpuMillis, memoryBytes } = config.limits;
  return {
    name: containerNameFor(nodeName, config),
    Image: config.image,
    ...(config.command !== undefined ? { Entrypoint: [...config.command] } : {}),
    // With a new entrypoint and no args, the image's cmd must not be appended.
    ...(config.args !== undefined ? { Cmd: [...config.args] } : config.command !== undefined ? { Cmd: [] } : {}),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ...(config.workingDir !== undefined ? { WorkingDir: config.workingDir } : {}),
    Labels: labelsFor(nodeName, config),
    ExposedPorts: exposed,
    HostConfig: {
      PortBindings: bindings,
      ...(cpuMillis !== undefined ? { NanoCpus: cpuMillis * 1_000_000 } : {}),
      ...(memoryBytes !== undefined ? { Memory: memoryBytes, MemorySwap: memoryBytes } : {}),
    },
  };
}
