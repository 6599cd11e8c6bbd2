// The scheduler's pure logic: the cache of nodes and placed pods, the plugin
// framework with its filters and scores, and one scheduling cycle. The
// scheduler actor (scheduler-actor.ts) drives it from the store's watches.
//
//   const cache = new SchedulerCache({ assumedPodTtlMs: 30_000 });
//   cache.upsertNode(node); cache.upsertPod(boundPod);
//   const framework = createFramework();                 // DEFAULT_PROFILE
//   const options = { framework, pick: (n: number) => random.int(n) };
//   const r = schedulePod(pod, cache, options);          // scheduled | unschedulable | error
//   const batch = scheduleBatch(pending, cache, options, nowMs);  // assumes each placement
//   cache.upsertPod(seenBound);  cache.forget(key);  cache.expire(nowMs);

export { SchedulerCache, DEFAULT_SCHEDULER_CACHE_OPTIONS } from './cache.js';
export type { ExpiredAssumption, Placement, SchedulerCacheOptions } from './cache.js';
export { NodeInfo, DEFAULT_ALLOCATABLE_PODS } from './node-info.js';
export { DEFAULT_CPU_REQUEST_MILLIS, DEFAULT_MEMORY_REQUEST_BYTES, isPodInfo, podInfoOf, podKeyOf } from './pod-info.js';
export type { AffinityTerm, PodInfo, WeightedAffinityTerm } from './pod-info.js';
export type { ClusterSnapshot } from './snapshot.js';
export { formatHostPortKey, hostPortKey } from './host-ports.js';

export { errorStatus, SUCCESS, unschedulable } from './status.js';
export type { ErrorStatus, FilterStatus, SuccessStatus, UnschedulableStatus } from './status.js';
export { CycleScratch, Framework, isFilterPlugin, isScorePlugin, run, SKIP } from './framework.js';
export type { FilterPlugin, Plugin, PrepareResult, ScorePlugin, WeightedScorePlugin } from './framework.js';
export { createFramework, DEFAULT_PROFILE, DEFAULT_REGISTRY } from './profile.js';
export type { PluginFactory, Profile, Registry, ScoreEntry } from './profile.js';

export { MIN_ADAPTIVE_PERCENTAGE, MIN_FEASIBLE_NODES_TO_FIND, numFeasibleNodesToFind } from './feasible-nodes.js';
export { formatUnschedulableMessage, schedulePod } from './schedule-one.js';
export type { PodScheduled, PodUnschedulable, ReasonCount, ScheduleFailed, ScheduleOptions, ScheduleResult } from './schedule-one.js';
export { scheduleBatch } from './schedule-batch.js';
export type { BatchPlacement, BatchRejection, ScheduleBatchResult } from './schedule-batch.js';
export { filterClassOf } from './equivalence.js';
export { podFitsNode } from './fits-node.js';
export { ParkedPods } from './parked-pods.js';

export { ProfileError, SchedulerCacheError, SchedulerError, TieBreakError } from './errors.js';

// Plugin names, for profiles, and the reasons tests and operators match on.
export { HOST_PORT_CONFLICT, HOST_PORTS } from './plugins/host-ports-filter.js';
export { LEAST_ALLOCATED } from './plugins/least-allocated.js';
export { NODE_AFFINITY } from './plugins/node-affinity-filter.js';
export { NODE_AFFINITY_PREFERRED } from './plugins/node-affinity-score.js';
export { NODE_READY_SCHEDULABLE, UNSCHEDULABLE_TAINT_KEY } from './plugins/node-ready-schedulable.js';
export { OWNER_SPREAD } from './plugins/owner-spread.js';
export { POD_AFFINITY } from './plugins/pod-affinity-filter.js';
export { POD_AFFINITY_PREFERRED } from './plugins/pod-affinity-score.js';
export { RESOURCES_FIT } from './plugins/resources-fit.js';
export { TAINT_NOT_TOLERATED, TAINT_TOLERATION } from './plugins/taint-toleration-filter.js';
export { TAINT_PREFER_NO_SCHEDULE } from './plugins/taint-toleration-score.js';
export { toleratesTaint } from './plugins/tolerations.js';

// The driver: the scheduler actor, leader only.
export { schedulerActor } from './scheduler-actor.js';
export type { SchedulerActorOptions } from './scheduler-actor.js';
