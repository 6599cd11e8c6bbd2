import type { ContainerExit, ContainerInfo } from '../types.js';
import type { ProcessContainerRecord } from './state-file.js';

/** The `containerID` scheme of the process runtime. */
export const PROCESS_SCHEME = 'process://';

/** What the runtime reports of a container, from its record. */
export function infoOfRecord(r: ProcessContainerRecord): ContainerInfo {
  const exit = r.exit;
  return {
    id: r.id,
    containerID: `${PROCESS_SCHEME}${r.id}`,
    podUid: r.podUid,
    podNamespace: r.podNamespace,
    podName: r.podName,
    containerName: r.containerName,
    attempt: r.attempt,
    image: r.image,
    state: exit === undefined ? 'running' : 'exited',
    startedAtMs: r.startedAtMs,
    ...(exit !== undefined ? { finishedAtMs: exit.finishedAtMs, exitCode: exit.exitCode } : {}),
    ...(exit?.signal !== undefined ? { signal: exit.signal } : {}),
    ...(Object.keys(r.hostPorts).length > 0 ? { hostPorts: { ...r.hostPorts } } : {}),
  };
}

/** The exit event of an exited container's record; undefined while it runs. */
export function exitOfRecord(r: ProcessContainerRecord): ContainerExit | undefined {
  const exit = r.exit;
  if (exit === undefined) return undefined;
  return {
    type: 'exited',
    id: r.id,
    podUid: r.podUid,
    containerName: r.containerName,
    attempt: r.attempt,
    exitCode: exit.exitCode,
    ...(exit.signal !== undefined ? { signal: exit.signal } : {}),
    finishedAtMs: exit.finishedAtMs,
  };
}
