// The node lifecycle controller's timing and limits.

/** The taint key the controller puts on a node it stops hearing from (with NoSchedule and NoExecute). */
export const UNREACHABLE_TAINT_KEY = 'node.drover.io/unreachable';

export interface NodeLifecycleOptions {
  /** How long a node may go without a heartbeat before it is judged unreachable. */
  readonly nodeMonitorGracePeriodMs: number;
  /**
   * How long a pod stays on a node after a NoExecute taint it does not
   * tolerate appears (from the taint's timeAdded); a toleration with
   * tolerationSeconds sets its own time, one without keeps it forever.
   */
  readonly podEvictionTimeoutMs: number;
  /**
   * How long a new leader waits to hear from a node it has no heartbeat of
   * before judging it (counted from when it became leader, or from the
   * node's creation if later).
   */
  readonly startupGracePeriodMs: number;
  /**
   * Graceful evictions per reconcile at most; the rest wait for the next
   * round (`requeueAfterMs: 0`). Unlimited by default: the self-healing
   * target is seconds, and a partitioned leader loses its leadership
   * rather than evicting a cluster it cannot see. Force deletions (of pods
   * past their grace, of pods on missing nodes) are not limited.
   */
  readonly evictionsMax: number;
}

// Seconds, not Kubernetes' minutes (40 s + 5 min): the self-healing target
// is 3 s from a node's death to its pods running elsewhere. Agents heartbeat
// every 400 ms, so the grace is three missed heartbeats.
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 1_200;
export const DEFAULT_POD_EVICTION_TIMEOUT_MS = 600;

/** The options with defaults for every field not given. */
export function nodeLifecycleOptions(given: Partial<NodeLifecycleOptions> = {}): NodeLifecycleOptions {
  const nodeMonitorGracePeriodMs = given.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS;
  return {
    nodeMonitorGracePeriodMs,
    podEvictionTimeoutMs: given.podEvictionTimeoutMs ?? DEFAULT_POD_EVICTION_TIMEOUT_MS,
    startupGracePeriodMs: given.startupGracePeriodMs ?? nodeMonitorGracePeriodMs,
    evictionsMax: given.evictionsMax ?? Number.POSITIVE_INFINITY,
  };
}
