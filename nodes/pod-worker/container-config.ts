import { cpuMillisOf, memoryBytesOf, type Container, type Pod } from '../../core/api/index.js';
import type { ContainerConfig, PortMapping } from '../runtime/index.js';

/** What the runtime is given to start `attempt` of `container` of `pod`. */
export function containerConfig(pod: Pod, container: Container, attempt: number): ContainerConfig {
  // Who the container is, as the downward API would tell it; the pod's own env wins.
  const env: Record<string, string> = {
    DROVER_POD_NAME: pod.metadata.name,
    DROVER_POD_NAMESPACE: pod.metadata.namespace ?? 'default',
    DROVER_POD_UID: pod.metadata.uid ?? '',
    DROVER_NODE_NAME: pod.spec.nodeName ?? '',
  };
  for (const e of container.env ?? []) env[e.name] = e.value ?? '';
  const ports: PortMapping[] = (container.ports ?? []).map((p) => ({
    containerPort: p.containerPort,
    protocol: p.protocol ?? 'TCP',
    ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
  }));
  const limits = container.resources?.limits;
  return {
    podUid: pod.metadata.uid ?? '',
    podNamespace: pod.metadata.namespace ?? 'default',
    podName: pod.metadata.name,
    containerName: container.name,
    attempt,
    image: container.image,
    ...(container.command !== undefined ? { command: container.command } : {}),
    ...(container.args !== undefined ? { args: container.args } : {}),
    env,
    ...(container.workingDir !== undefined ? { workingDir: container.workingDir } : {}),
    ports,
    limits: {
      ...(limits?.cpu !== undefined ? { cpuMillis: cpuMillisOf(limits.cpu) } : {}),
      ...(limits?.memory !== undefined ? { memoryBytes: memoryBytesOf(limits.memory) } : {}),
    },
  };
}
