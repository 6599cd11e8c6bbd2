import type { Pod, PodStatus } from '../../core/api/index.js';
import type { ProbeKind, ProbeOutcome } from '../probes/index.js';
import type { ContainerExit, ContainerInfo } from '../runtime/index.js';

/** What the node agent tells a pod worker. */
export type PodWorkerMsg =
  /** The latest version of the pod, from the agent's watch (a deletion timestamp starts a graceful deletion). */
  | { readonly type: 'pod'; readonly pod: Pod }
  /** The pod was deleted from the API outright: stop everything now, with the grace period it had. */
  | { readonly type: 'pod-gone' }
  /** A container of this pod exited (the runtime's exit notice, forwarded). */
  | { readonly type: 'container-exited'; readonly exit: ContainerExit };

/** Told to the worker's parent when a deleted pod's containers are all stopped and removed; the worker then stops. */
export interface PodTerminated {
  readonly type: 'pod-terminated';
  readonly podUid: string;
  readonly namespace: string;
  readonly name: string;
}

/** Something worth an Event on the pod (the agent records it). */
export interface PodWorkerEvent {
  readonly type: 'Normal' | 'Warning';
  /** Started, Failed, Killing, Unhealthy. */
  readonly reason: string;
  readonly message: string;
  readonly pod: Pod;
  readonly containerName?: string;
}

/** What a worker tells itself: timers and the completions of its runtime calls and probes. */
export type PodWorkerSelfMsg =
  | { readonly type: 'resync' }
  | { readonly type: 'wake' }
  | { readonly type: 'listed'; readonly containers: readonly ContainerInfo[] | null }
  | { readonly type: 'performed'; readonly outcome: PerformOutcome }
  | { readonly type: 'stopped'; readonly id: string; readonly info: ContainerInfo | undefined; readonly failed: boolean }
  | { readonly type: 'probe-due'; readonly containerId: string; readonly kind: ProbeKind }
  | { readonly type: 'probe-result'; readonly containerId: string; readonly kind: ProbeKind; readonly outcome: ProbeOutcome }
  /** A report finished: the status it wrote, or null if it failed. */
  | { readonly type: 'reported'; readonly status: PodStatus | null }
  | { readonly type: 'report-retry' }
  | { readonly type: 'report-hold-over' };

/** Every message a pod worker handles. */
export type PodWorkerMessage = PodWorkerMsg | PodWorkerSelfMsg;

/** What the serial runtime calls of one sync came to. */
export interface PerformOutcome {
  readonly started: readonly { readonly containerName: string; readonly info: ContainerInfo }[];
  readonly failedStarts: readonly { readonly containerName: string; readonly attempt: number; readonly atMs: number; readonly code: string; readonly message: string }[];
  readonly removed: readonly string[];
  /** The runtime knew an attempt the worker did not: list again before the next sync. */
  readonly relist: boolean;
}
