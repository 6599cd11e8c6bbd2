// The scheduling framework: one small interface per extension point, and the
// Framework that holds one profile's plugins.
//
// A cycle runs, for one pod:
//   preFilter (each filter, once)  -> per-plugin state, or skip the plugin
//   filter    (each node, each filter, until enough feasible nodes)
//   preScore  (each score, once)   -> per-plugin state, or skip the plugin
//   score     (each feasible node, each score), then normalize
// and places the pod on the node with the highest weighted sum.

import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { FilterStatus } from './status.js';

/**
 * What a plugin computes once per cycle: state for its per-node calls, or
 * `skip` when it has nothing to say about this pod (every node passes, or
 * scores the same), which spares the per-node calls entirely.
 */
export type PrepareResult<S> = { readonly type: 'run'; readonly state: S } | { readonly type: 'skip' };

export const SKIP: { readonly type: 'skip' } = Object.freeze({ type: 'skip' });

export function run<S>(state: S): { readonly type: 'run'; readonly state: S } {
  return { type: 'run', state };
}

/** Decides whether a node can take the pod. */
export interface FilterPlugin<S = undefined> {
  readonly name: string;
  /** Once per cycle. Absent: filter is called with `undefined` state. */
  preFilter?(pod: PodInfo, snapshot: ClusterSnapshot): PrepareResult<S>;
  /** Called in the hot loop: allocate nothing on success (return SUCCESS) and return prebuilt statuses where possible. */
  filter(state: S, pod: PodInfo, node: NodeInfo): FilterStatus;
}

/** Ranks the nodes that passed every filter. */
export interface ScorePlugin<S = undefined> {
  readonly name: string;
  /** The default weight; a profile may override it. */
  readonly weight: number;
  /** Once per cycle, before scoring. Absent: score is called with `undefined` state. */
  preScore?(pod: PodInfo, snapshot: ClusterSnapshot): PrepareResult<S>;
  /** A score in [0, 100], or a raw value that normalize maps there. */
  score(state: S, pod: PodInfo, node: NodeInfo): number;
  /** Rewrites `scores[0..count)` (one per feasible node) into [0, 100], in place. */
  normalize?(state: S, scores: Float64Array, count: number): void;
}

/** What a registry makes: a filter, a score, or one plugin that is both. */
export type Plugin = FilterPlugin<unknown> | ScorePlugin<unknown>;

export function isFilterPlugin(plugin: Plugin): plugin is FilterPlugin<unknown> {
  return typeof (plugin as Partial<FilterPlugin<unknown>>).filter === 'function';
}

export function isScorePlugin(plugin: Plugin): plugin is ScorePlugin<unknown> {
  return typeof (plugin as Partial<ScorePlugin<unknown>>).score === 'function';
}

/** A score plugin with the weight its profile gives it. */
export interface WeightedScorePlugin {
  readonly plugin: ScorePlugin<unknown>;
  readonly weight: number;
}

/**
 * One profile's plugins, ready to run, and the scratch buffers its cycles
 * reuse. A Framework runs one cycle at a time (the scheduler actor is one
 * actor), which is what makes reusing the buffers safe.
 */
export class Framework {
  /** Scratch for schedulePod, grown to the node count; see ensureCapacity. */
  readonly scratch = new CycleScratch();

  constructor(
    readonly profileName: string,
    readonly filterPlugins: readonly FilterPlugin<unknown>[],
    readonly scorePlugins: readonly WeightedScorePlugin[],
  ) {}
}

/** Buffers reused from cycle to cycle, so the per-node loops allocate nothing. */
export class CycleScratch {
  /** Indexes (into snapshot.nodeInfos) of the feasible nodes, in the order found. */
  feasible = new Int32Array(0);
  /** One plugin's scores for the feasible nodes. */
  scores = new Float64Array(0);
  /** The weighted sums for the feasible nodes. */
  totals = new Float64Array(0);
  /** Positions (into feasible) of the nodes tied for the best total. */
  ties = new Int32Array(0);
  /** The status of each node that failed a filter, by node index; read only when no node is feasible. */
  failures: (FilterStatus | undefined)[] = [];
  readonly activeFilters: FilterPlugin<unknown>[] = [];
  readonly filterStates: unknown[] = [];
  readonly activeScores: WeightedScorePlugin[] = [];
  readonly scoreStates: unknown[] = [];

  ensureCapacity(nodes: number): void {
    if (this.feasible.length >= nodes) return;
    const size = Math.max(nodes, this.feasible.length * 2, 16);
    this.feasible = new Int32Array(size);
    this.scores = new Float64Array(size);
    this.totals = new Float64Array(size);
    this.ties = new Int32Array(size);
    this.failures = new Array<FilterStatus | undefined>(size).fill(undefined);
  }
}
