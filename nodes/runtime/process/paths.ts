import { createHash } from 'node:crypto';
import { join } from 'node:path';

// The layout of the process runtime's state dir:
//   <stateDir>/containers/<id>.json                          one state file per container
//   <stateDir>/logs/<podUid>/<container>/<attempt>.log       stdout and stderr, appended
//   <stateDir>/work/<id>/                                    the default working directory

/** The state dir's sub-directory of state files. */
export function containersDir(stateDir: string): string {
  return join(stateDir, 'containers');
}

export function stateFilePath(stateDir: string, id: string): string {
  return join(containersDir(stateDir), `${id}.json`);
}

export function logFilePath(stateDir: string, podUid: string, containerName: string, attempt: number): string {
  return join(stateDir, 'logs', podUid, containerName, `${attempt}.log`);
}

/** The directory of a pod container's logs (every attempt), removed once empty. */
export function logDirPath(stateDir: string, podUid: string, containerName: string): string {
  return join(stateDir, 'logs', podUid, containerName);
}

export function workDirPath(stateDir: string, id: string): string {
  return join(stateDir, 'work', id);
}

/**
 * The container's id: a digest of what names it uniquely on the node (pod
 * uid, container name, attempt), so it is stable, file-name safe and the same
 * if the agent asks again for a container it started before.
 */
export function containerIdFor(podUid: string, containerName: string, attempt: number): string {
  return createHash('sha256').update(`${podUid}\0${containerName}\0${attempt}`).digest('hex').slice(0, 32);
}

const SAFE_COMPONENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Why `value` cannot be one component of a path under the state dir (a pod
 * uid or container name with a '/' or '..' would escape it), or undefined
 * when it can.
 */
export function unsafePathComponent(value: string): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.length > 253) return 'is longer than 253 characters';
  if (!SAFE_COMPONENT.test(value)) return 'may hold only letters, digits, ".", "_" and "-", and must start with a letter or digit';
  return undefined;
}
