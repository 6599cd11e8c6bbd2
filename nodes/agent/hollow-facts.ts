import type { NodeFacts } from './node-object.js';

/** The machine a hollow node claims to be: 4 cores, 16 GiB, 110 pods. */
export function hollowFacts(nodeName: string, droverVersion: string): NodeFacts {
  return {
    cpuMillis: 4_000,
    memoryBytes: 16 * 1024 ** 3,
    maxPods: 110,
    hostname: nodeName,
    hostIP: '127.0.0.1',
    nodeInfo: { operatingSystem: 'linux', architecture: 'amd64', osImage: 'hollow', containerRuntimeVersion: 'hollow://0', droverVersion },
  };
}
