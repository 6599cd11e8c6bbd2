import si from 'systeminformation';
import type { NodeFacts } from '../agent/node-object.js';

/** What systeminformation says of this machine: CPU cores, memory, hostname, OS and architecture. */
export async function readNodeFacts(runtimeVersion: string, droverVersion: string): Promise<NodeFacts> {
  const [cpu, mem, os, uuid] = await Promise.all([si.cpu(), si.mem(), si.osInfo(), si.uuid().catch(() => ({ os: '' }))]);
  return {
    cpuMillis: Math.max(1, cpu.cores) * 1_000,
    memoryBytes: mem.total,
    hostname: os.hostname,
    // Everything here publishes on loopback (containers' ports on 127.0.0.1).
    hostIP: '127.0.0.1',
    nodeInfo: {
      ...(uuid.os ? { machineID: uuid.os } : {}),
      kernelVersion: os.kernel,
      osImage: `${os.distro} ${os.release}`.trim(),
      operatingSystem: os.platform,
      architecture: archName(os.arch),
      containerRuntimeVersion: runtimeVersion,
      droverVersion,
    },
  };
}

/** Node's names for architectures as Kubernetes and Docker spell them. */
function archName(arch: string): string {
  return arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : arch;
}
