// The data of the pure sync: what it is given and what it decides.

import type { Container, Pod, PodStatus } from '../../core/api/index.js';
import type { ProbeState } from '../probes/index.js';
import type { ContainerConfig, ContainerInfo } from '../runtime/index.js';
import type { ContainerAttempts } from './attempts.js';
import type { BackoffEntry, RestartBackoff } from './backoff.js';

/** A start of a container that the runtime refused (no attempt ran). */
export interface StartFailure {
  /** The attempt that failed to start; the retry uses the same number. */
  readonly attempt: number;
  readonly atMs: number;
  /** The waiting reason to show: `RunContainerError`, `ImagePullBackOff`. */
  readonly reason: string;
  readonly message: string;
}

/** The probe states of one running container attempt (only the probes its spec has). */
export interface ContainerProbes {
  readonly containerName: string;
  readonly liveness?: ProbeState;
  readonly readiness?: ProbeState;
}

/** What a node gives every sync of its pods. */
export interface SyncParams {
  readonly backoff: RestartBackoff;
  /** The node's address (status.hostIP). */
  readonly hostIP: string;
  /** The pod's address (status.podIP): 127.0.0.1 where ports are published on loopback. */
  readonly podIP: string;
}

/** Everything one sync of a pod looks at. */
export interface SyncInput {
  /** The latest version of the pod. Must carry metadata.uid. */
  readonly pod: Pod;
  /** The runtime's containers of this pod, every attempt, as last observed. */
  readonly containers: readonly ContainerInfo[];
  /** Ids of containers whose stop is in progress: they are not stopped again, and count as not ready. */
  readonly stopping: ReadonlySet<string>;
  /** Back-off of each container, by container name, as the previous sync left it. */
  readonly backoff: ReadonlyMap<string, BackoffEntry>;
  /** The last failed start of each container since its last successful one, by container name. */
  readonly startFailures: ReadonlyMap<string, StartFailure>;
  /** Probe states by container id. */
  readonly probes: ReadonlyMap<string, ContainerProbes>;
  /** The pod was deleted from the API outright: stop everything as for a graceful deletion. */
  readonly gone: boolean;
  /** When the worker first saw the pod (status.startTime; activeDeadlineSeconds counts from it). */
  readonly startTimeMs: number;
  readonly nowMs: number;
  /** The status reported before: conditions whose status did not change keep their transition time. */
  readonly previousStatus?: PodStatus;
  readonly params: SyncParams;
}

/** Why a container is stopped. */
export type StopReason = 'deleted' | 'liveness' | 'deadline' | 'stray';

/** One thing the driver does for a sync. Stops run concurrently; starts and removes one at a time. */
export type SyncAction =
  | { readonly type: 'start'; readonly containerName: string; readonly attempt: number; readonly config: ContainerConfig }
  | {
      readonly type: 'stop';
      readonly id: string;
      readonly containerName: string;
      readonly gracePeriodMs: number;
      readonly reason: StopReason;
      /** For people: an event's message. */
      readonly message: string;
    }
  /** Removes an exited container (or one created and never started). */
  | { readonly type: 'remove'; readonly id: string; readonly containerName: string }
  /** Sync again at `untilMs` even if nothing else happens. */
  | { readonly type: 'wait'; readonly untilMs: number; readonly reason: 'backoff' | 'deadline' }
  /** Deletion is done: every container is stopped and removed. */
  | { readonly type: 'terminated' };

/** What one sync decided. */
export interface SyncResult {
  readonly actions: readonly SyncAction[];
  /** The status to report (report it only if it differs from the last one reported). */
  readonly status: PodStatus;
  /** The back-off of each container for the next sync. */
  readonly backoff: ReadonlyMap<string, BackoffEntry>;
}

/** What happens to a container's latest attempt. */
export type ContainerFate =
  /** No attempt has run yet: one starts now, or after a failed start's back-off. */
  | 'unstarted'
  | 'running'
  /** Exited; the restart policy starts it again after back-off. */
  | 'restarting'
  /** Exited for good. */
  | 'done';

/** The sync's verdict on one container of the spec, from which its status is built. */
export interface ContainerPlan {
  readonly spec: Container;
  readonly attempts: ContainerAttempts;
  readonly fate: ContainerFate;
  /** The back-off the next start waits for, when it waits. */
  readonly backoff?: BackoffEntry;
  /** The failed start the next start retries. */
  readonly startFailure?: StartFailure;
  readonly ready: boolean;
}
