// Scheduling a burst: pods one after another, each placement assumed in the
// cache before the next cycle, so the burst fills nodes as it goes and never
// over-commits one. The driver binds all the placements in one log entry.
// Once a pod fits nowhere, the rest of its equivalence class in the burst
// take its verdict without being filtered (see equivalence.ts).

import type { Pod } from '../api/index.js';
import type { SchedulerCache } from './cache.js';
import { filterClassOf } from './equivalence.js';
import { podInfoOf } from './pod-info.js';
import type { PodUnschedulable, ScheduleFailed, ScheduleOptions } from './schedule-one.js';
import { schedulePod } from './schedule-one.js';

/** A pod placed and assumed on a node: bind it there. */
export interface BatchPlacement {
  readonly pod: Pod;
  readonly podKey: string;
  readonly nodeName: string;
}

/** A pod not placed, and why. */
export interface BatchRejection {
  readonly pod: Pod;
  readonly podKey: string;
  readonly result: PodUnschedulable | ScheduleFailed;
}

export interface ScheduleBatchResult {
  /** In the order of the input. */
  readonly placements: readonly BatchPlacement[];
  readonly unschedulable: readonly BatchRejection[];
  /** Keys of pods the cache already counts on a node (bound or assumed earlier): left alone. */
  readonly alreadyPlaced: readonly string[];
  /** Pass as startNodeIndex to the next batch. */
  readonly nextStartNodeIndex: number;
}

/**
 * Schedules `pods` in order against `cache`, assuming each placement at
 * `nowMs` before the next pod's cycle. options.startNodeIndex starts the
 * first cycle; each later one starts where the previous stopped.
 * `unfitClasses` holds the classes found to fit nowhere; pass the same map to
 * the calls of one burst that nothing changes between (only their own
 * assumptions), so a verdict carries from one slice to the next.
 */
export function scheduleBatch(
  pods: readonly Pod[],
  cache: SchedulerCache,
  options: ScheduleOptions,
  nowMs: number,
  unfitClasses: Map<string, PodUnschedulable> = new Map(),
): ScheduleBatchResult {
  const placements: BatchPlacement[] = [];
  const unschedulable: BatchRejection[] = [];
  const alreadyPlaced: string[] = [];
  let startNodeIndex = options.startNodeIndex ?? 0;
  const cycleOptions: { -readonly [K in keyof ScheduleOptions]: ScheduleOptions[K] } = { ...options, startNodeIndex };
  for (const pod of pods) {
    const info = podInfoOf(pod);
    const placed = cache.placementOf(info.key);
    if (placed !== undefined && placed.uid === info.uid) {
      alreadyPlaced.push(info.key);
      continue;
    }
    const cls = filterClassOf(info);
    const known = cls === undefined ? undefined : unfitClasses.get(cls);
    if (known !== undefined) {
      unschedulable.push({ pod, podKey: info.key, result: known });
      continue;
    }
    cycleOptions.startNodeIndex = startNodeIndex;
    const result = schedulePod(info, cache, cycleOptions);
    startNodeIndex = result.nextStartNodeIndex;
    if (result.type === 'unschedulable' && cls !== undefined) unfitClasses.set(cls, result);
    if (result.type === 'scheduled') {
      cache.assume(info, result.nodeName, nowMs);
      placements.push({ pod, podKey: info.key, nodeName: result.nodeName });
    } else {
      unschedulable.push({ pod, podKey: info.key, result });
    }
  }
  return { placements, unschedulable, alreadyPlaced, nextStartNodeIndex: startNodeIndex };
}
