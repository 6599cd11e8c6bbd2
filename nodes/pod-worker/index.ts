// The pod worker: the kubelet's per-pod loop. `podWorker(options)` is the
// actor; `sync` is its pure decision (containers to start, stop and remove,
// and the status to report), with the back-off and status helpers it uses.

export { podWorker } from './pod-worker.js';
export type { PodWorkerOptions } from './pod-worker.js';
export type { PodTerminated, PodWorkerEvent, PodWorkerMessage, PodWorkerMsg, PodWorkerSelfMsg, PerformOutcome } from './messages.js';
export { PodWorkerError } from './errors.js';
export { activeDeadlineMs, DEFAULT_GRACE_PERIOD_SECONDS, isDeleting, podGracePeriodMs, sync } from './sync.js';
export type {
  ContainerFate,
  ContainerPlan,
  ContainerProbes,
  StartFailure,
  StopReason,
  SyncAction,
  SyncInput,
  SyncParams,
  SyncResult,
} from './types.js';
export { DEFAULT_RESTART_BACKOFF, formatDelay, nextBackoff } from './backoff.js';
export type { BackoffEntry, RestartBackoff, Trouble } from './backoff.js';
export { exitCodeOf, groupAttempts, shouldRestart } from './attempts.js';
export type { ContainerAttempts } from './attempts.js';
export { containerConfig } from './container-config.js';
export { backoffMessage, containerStatus, terminatedState } from './container-status.js';
export { podPhase, podStatus, sameJson, sameStatus } from './pod-status.js';
export type { PodStatusInput } from './pod-status.js';
export { trackProbes } from './probe-tracker.js';
export { mergeInfo, mergeListing, observe, withExit } from './observed.js';
