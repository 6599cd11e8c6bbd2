import type { ContainerExit } from '../types.js';
import { parseLabels } from './labels.js';

/** The fields of a docker event the runtime reads. */
export interface DockerEvent {
  readonly Type?: string;
  readonly Action?: string;
  readonly id?: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> };
  /** Seconds since the epoch. */
  readonly time?: number;
  /** Nanoseconds since the epoch. */
  readonly timeNano?: number;
}

/**
 * The exit told by a container `die` event of node `nodeName`; undefined
 * for any other event, another node's container, or one without our labels.
 * The event's attributes carry the container's labels and its exit code.
 */
export function exitOfDieEvent(event: DockerEvent, nodeName: string): ContainerExit | undefined {
  if (event.Type !== 'container' || event.Action !== 'die') return undefined;
  const id = event.Actor?.ID ?? event.id;
  const attributes = event.Actor?.Attributes;
  const labels = parseLabels(attributes);
  if (id === undefined || attributes === undefined || labels === undefined || labels.nodeName !== nodeName) return undefined;
  const exitCode = Number(attributes['exitCode']);
  const finishedAtMs = event.timeNano !== undefined ? Math.floor(event.timeNano / 1e6) : (event.time ?? 0) * 1000;
  return {
    type: 'exited',
    id,
    podUid: labels.podUid,
    containerName: labels.containerName,
    attempt: labels.attempt,
    // An exit code the engine did not say is unknown: reported as for a SIGKILL.
    exitCode: Number.isInteger(exitCode) ? exitCode : 137,
    finishedAtMs,
  };
}
