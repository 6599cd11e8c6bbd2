import type { ContainerInspectInfo } from 'dockerode';
import type { ContainerInfo, ContainerRunState } from '../types.js';
import type { LabelledContainer } from './labels.js';

/** The `containerID` scheme of the docker runtime. */
export const DOCKER_SCHEME = 'docker://';

/** The published ports of an inspect answer: `80/tcp` -> its bindings (null when not published). */
export type PortBindings = Readonly<Record<string, readonly { HostIp?: string; HostPort?: string }[] | null>>;

/** The subset of an inspect answer the runtime reads (so tests can write one by hand). */
export type InspectAnswer = Pick<ContainerInspectInfo, 'Id' | 'Config'> & {
  readonly State: Pick<ContainerInspectInfo['State'], 'Status' | 'ExitCode' | 'StartedAt' | 'FinishedAt'>;
  readonly NetworkSettings?: { readonly Ports?: PortBindings | null };
};

/** Docker's statuses in ours: a paused or restarting container still holds its process. */
export function runStateOf(status: string): ContainerRunState {
  switch (status) {
    case 'created':
      return 'created';
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    default:
      // exited, dead, removing
      return 'exited';
  }
}

/** Docker writes the zero time (0001-01-01T00:00:00Z) for a time that has not happened. */
export function timeMs(iso: string | undefined): number | undefined {
  if (iso === undefined || iso === '' || iso.startsWith('0001-')) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The host ports bound, by container port (the first binding of each). */
export function hostPortsOf(ports: PortBindings | null | undefined): Record<number, number> {
  const out: Record<number, number> = {};
  if (ports === null || ports === undefined) return out;
  for (const [key, bindings] of Object.entries(ports)) {
    const containerPort = Number(key.split('/')[0]);
    const hostPort = Number(bindings?.[0]?.HostPort);
    if (Number.isInteger(containerPort) && Number.isInteger(hostPort) && hostPort > 0) out[containerPort] = hostPort;
  }
  return out;
}

/** What the runtime reports of a container, from the engine's inspect and its labels. */
export function infoOfInspect(inspect: InspectAnswer, labels: LabelledContainer): ContainerInfo {
  const state = runStateOf(inspect.State.Status);
  const startedAtMs = timeMs(inspect.State.StartedAt);
  const finishedAtMs = timeMs(inspect.State.FinishedAt);
  const hostPorts = hostPortsOf(inspect.NetworkSettings?.Ports);
  return {
    id: inspect.Id,
    containerID: `${DOCKER_SCHEME}${inspect.Id}`,
    podUid: labels.podUid,
    podNamespace: labels.podNamespace,
    podName: labels.podName,
    containerName: labels.containerName,
    attempt: labels.attempt,
    image: inspect.Config.Image,
    state,
    ...(startedAtMs !== undefined ? { startedAtMs } : {}),
    ...(state === 'exited' && finishedAtMs !== undefined ? { finishedAtMs } : {}),
    ...(state === 'exited' ? { exitCode: inspect.State.ExitCode } : {}),
    ...(Object.keys(hostPorts).length > 0 ? { hostPorts } : {}),
  };
}
