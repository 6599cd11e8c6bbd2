// One scheduling cycle: pick a node for one pod.
//
// Cost is bounded by the feasible-node cutoff (numFeasibleNodesToFind), not
// by the cluster: filtering walks the nodes from where the previous cycle
// stopped and stops once enough nodes pass, so consecutive pods look at
// different nodes and spread. The per-node loops allocate nothing: statuses
// are prebuilt, and scores live in the Framework's reused buffers.

import type { Pod } from '../api/index.js';
import { TieBreakError } from './errors.js';
import { numFeasibleNodesToFind } from './feasible-nodes.js';
import type { Framework } from './framework.js';
import type { PodInfo } from './pod-info.js';
import { isPodInfo, podInfoOf } from './pod-info.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { FilterStatus, UnschedulableStatus } from './status.js';

export interface ScheduleOptions {
  readonly framework: Framework;
  /**
   * Breaks ties between the best nodes: returns an integer in [0, n). The
   * driver passes its seeded Random (`(n) => random.int(n)`), so a seed
   * fixes every placement.
   */
  readonly pick: (n: number) => number;
  /** Where in snapshot.nodeInfos to start: the previous cycle's nextStartNodeIndex. Defaults to 0. */
  readonly startNodeIndex?: number;
  /** Share of the nodes to find feasible before scoring; absent: adaptive; 100: every node. See numFeasibleNodesToFind. */
  readonly percentageOfNodesToScore?: number;
}

export interface PodScheduled {
  readonly type: 'scheduled';
  readonly nodeName: string;
  /** Nodes that passed every filter (and were scored). */
  readonly feasibleNodes: number;
  /** Nodes filtered before the cutoff was reached. */
  readonly evaluatedNodes: number;
  /** Pass as startNodeIndex to the next cycle. */
  readonly nextStartNodeIndex: number;
}

/** How many nodes failed for one reason. */
export interface ReasonCount {
  readonly reason: string;
  readonly count: number;
}

export interface PodUnschedulable {
  readonly type: 'unschedulable';
  /** `0/3 nodes are available: 2 insufficient memory, 1 taint not tolerated.` */
  readonly message: string;
  /** Most frequent first, then by reason. */
  readonly reasons: readonly ReasonCount[];
  /** Why each node failed (the first filter that failed it). */
  readonly nodeStatuses: ReadonlyMap<string, UnschedulableStatus>;
  readonly evaluatedNodes: number;
  readonly nextStartNodeIndex: number;
}

/** A plugin returned an Error status: a bug, not a verdict on the pod; retry it later. */
export interface ScheduleFailed {
  readonly type: 'error';
  readonly plugin: string;
  readonly message: string;
  /** The node being filtered when it happened. */
  readonly nodeName: string;
  readonly nextStartNodeIndex: number;
}

export type ScheduleResult = PodScheduled | PodUnschedulable | ScheduleFailed;

/** Finds the best node for the pod in the snapshot. Pure: the snapshot is not changed (assuming is the caller's move). */
export function schedulePod(pod: Pod | PodInfo, snapshot: ClusterSnapshot, options: ScheduleOptions): ScheduleResult {
  const info = isPodInfo(pod) ? pod : podInfoOf(pod);
  const nodes = snapshot.nodeInfos;
  const n = nodes.length;
  if (n === 0) {
    return { type: 'unschedulable', message: '0/0 nodes are available: no nodes are registered.', reasons: [], nodeStatuses: new Map(), evaluatedNodes: 0, nextStartNodeIndex: 0 };
  }
  const { framework, pick } = options;
  const scratch = framework.scratch;
  scratch.ensureCapacity(n);
  const start = (((options.startNodeIndex ?? 0) % n) + n) % n;

  // Pre-filter: once per plugin; skipped plugins do not run per node.
  const filters = scratch.activeFilters;
  const filterStates = scratch.filterStates;
  filters.length = 0;
  filterStates.length = 0;
  for (const plugin of framework.filterPlugins) {
    if (plugin.preFilter === undefined) {
      filters.push(plugin);
      filterStates.push(undefined);
      continue;
    }
    const prepared = plugin.preFilter(info, snapshot);
    if (prepared.type === 'skip') continue;
    filters.push(plugin);
    filterStates.push(prepared.state);
  }

  // Filter, from `start`, until enough feasible nodes are found.
  const wanted = numFeasibleNodesToFind(n, options.percentageOfNodesToScore);
  const feasible = scratch.feasible;
  const failures = scratch.failures;
  const filterCount = filters.length;
  let feasibleCount = 0;
  let evaluated = 0;
  let index = start;
  while (evaluated < n && feasibleCount < wanted) {
    const node = nodes[index]!;
    let passed = true;
    for (let f = 0; f < filterCount; f++) {
      const status = filters[f]!.filter(filterStates[f], info, node);
      if (status.code === 'Success') continue;
      if (status.code === 'Error') {
        clearStates(scratch.filterStates);
        return { type: 'error', plugin: status.plugin, message: status.message, nodeName: node.name, nextStartNodeIndex: start };
      }
      failures[index] = status;
      passed = false;
      break;
    }
    if (passed) feasible[feasibleCount++] = index;
    evaluated++;
    index++;
    if (index === n) index = 0;
  }
  clearStates(filterStates);
  const nextStartNodeIndex = index;

  if (feasibleCount === 0) return unschedulableResult(snapshot, failures, evaluated, nextStartNodeIndex);
  if (feasibleCount === 1) {
    return { type: 'scheduled', nodeName: nodes[feasible[0]!]!.name, feasibleNodes: 1, evaluatedNodes: evaluated, nextStartNodeIndex };
  }

  // Score the feasible nodes: per plugin raw scores, normalized, floored to
  // integers in [0, 100] (so near-equal nodes tie and the tie breaker
  // spreads them), weighted and summed.
  const totals = scratch.totals;
  const scores = scratch.scores;
  totals.fill(0, 0, feasibleCount);
  for (const weighted of framework.scorePlugins) {
    const plugin = weighted.plugin;
    let state: unknown = undefined;
    if (plugin.preScore !== undefined) {
      const prepared = plugin.preScore(info, snapshot);
      if (prepared.type === 'skip') continue;
      state = prepared.state;
    }
    for (let i = 0; i < feasibleCount; i++) scores[i] = plugin.score(state, info, nodes[feasible[i]!]!);
    plugin.normalize?.(state, scores, feasibleCount);
    const weight = weighted.weight;
    for (let i = 0; i < feasibleCount; i++) {
      const s = Math.floor(scores[i]!);
      totals[i]! += weight * (s < 0 ? 0 : s > 100 ? 100 : s);
    }
  }

  // The best total; ties broken by `pick`.
  const ties = scratch.ties;
  let best = Number.NEGATIVE_INFINITY;
  let tieCount = 0;
  for (let i = 0; i < feasibleCount; i++) {
    const t = totals[i]!;
    if (t > best) {
      best = t;
      ties[0] = i;
      tieCount = 1;
    } else if (t === best) {
      ties[tieCount++] = i;
    }
  }
  let chosen = 0;
  if (tieCount > 1) {
    chosen = pick(tieCount);
    if (!Number.isInteger(chosen) || chosen < 0 || chosen >= tieCount) throw new TieBreakError(tieCount, chosen);
  }
  return {
    type: 'scheduled',
    nodeName: nodes[feasible[ties[chosen]!]!]!.name,
    feasibleNodes: feasibleCount,
    evaluatedNodes: evaluated,
    nextStartNodeIndex,
  };
}

/** Drops references to the last pod's state so it can be collected. */
function clearStates(states: unknown[]): void {
  states.length = 0;
}

function unschedulableResult(
  snapshot: ClusterSnapshot,
  failures: readonly (FilterStatus | undefined)[],
  evaluated: number,
  nextStartNodeIndex: number,
): PodUnschedulable {
  const nodes = snapshot.nodeInfos;
  const nodeStatuses = new Map<string, UnschedulableStatus>();
  const counts = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) {
    const status = failures[i];
    // Invariant: with no feasible node every node was filtered this cycle and failed.
    if (status?.code !== 'Unschedulable') throw new Error(`schedulePod: node ${nodes[i]!.name} has no failure status`);
    nodeStatuses.set(nodes[i]!.name, status);
    counts.set(status.reason, (counts.get(status.reason) ?? 0) + 1);
  }
  const reasons = [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  return {
    type: 'unschedulable',
    message: formatUnschedulableMessage(nodes.length, reasons),
    reasons,
    nodeStatuses,
    evaluatedNodes: evaluated,
    nextStartNodeIndex,
  };
}

/** `0/3 nodes are available: 2 insufficient memory, 1 taint not tolerated.`, reasons in the order given. */
export function formatUnschedulableMessage(nodeCount: number, reasons: readonly ReasonCount[]): string {
  const head = `0/${nodeCount} nodes are available`;
  if (reasons.length === 0) return `${head}.`;
  return `${head}: ${reasons.map((r) => `${r.count} ${r.reason}`).join(', ')}.`;
}
