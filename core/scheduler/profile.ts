// Which plugins a scheduler runs: the registry of every plugin by name, the
// default profile, and building a Framework from a profile.

import { ProfileError } from './errors.js';
import type { FilterPlugin, Plugin, WeightedScorePlugin } from './framework.js';
import { Framework, isFilterPlugin, isScorePlugin } from './framework.js';
import { hostPortsFilter, HOST_PORTS } from './plugins/host-ports-filter.js';
import { leastAllocated, LEAST_ALLOCATED } from './plugins/least-allocated.js';
import { nodeAffinityFilter, NODE_AFFINITY } from './plugins/node-affinity-filter.js';
import { nodeAffinityScore, NODE_AFFINITY_PREFERRED } from './plugins/node-affinity-score.js';
import { nodeReadySchedulable, NODE_READY_SCHEDULABLE } from './plugins/node-ready-schedulable.js';
import { ownerSpread, OWNER_SPREAD } from './plugins/owner-spread.js';
import { podAffinityFilter, POD_AFFINITY } from './plugins/pod-affinity-filter.js';
import { podAffinityScore, POD_AFFINITY_PREFERRED } from './plugins/pod-affinity-score.js';
import { resourcesFit, RESOURCES_FIT } from './plugins/resources-fit.js';
import { taintTolerationFilter, TAINT_TOLERATION } from './plugins/taint-toleration-filter.js';
import { taintTolerationScore, TAINT_PREFER_NO_SCHEDULE } from './plugins/taint-toleration-score.js';

/** Makes a plugin. Called once per Framework built. */
export type PluginFactory = () => Plugin;

/** Plugin name -> factory. */
export type Registry = Readonly<Record<string, PluginFactory>>;

export interface ScoreEntry {
  readonly name: string;
  /** Overrides the plugin's own weight; a positive number. */
  readonly weight?: number;
}

/** The plugins of one scheduler, by name: filters run in this order (the first failure is the node's reason). */
export interface Profile {
  readonly name: string;
  readonly filters: readonly string[];
  readonly scores: readonly ScoreEntry[];
}

// The plugins are stateless objects: the factories hand out the same one.
export const DEFAULT_REGISTRY: Registry = Object.freeze({
  [NODE_READY_SCHEDULABLE]: () => nodeReadySchedulable,
  [NODE_AFFINITY]: () => nodeAffinityFilter,
  [TAINT_TOLERATION]: () => taintTolerationFilter,
  [HOST_PORTS]: () => hostPortsFilter,
  [RESOURCES_FIT]: () => resourcesFit,
  [POD_AFFINITY]: () => podAffinityFilter,
  [LEAST_ALLOCATED]: () => leastAllocated,
  [OWNER_SPREAD]: () => ownerSpread,
  [NODE_AFFINITY_PREFERRED]: () => nodeAffinityScore,
  [POD_AFFINITY_PREFERRED]: () => podAffinityScore,
  [TAINT_PREFER_NO_SCHEDULE]: () => taintTolerationScore,
});

/** Every plugin, cheap checks first; weights as the plugins give them (the Kubernetes defaults' proportions). */
export const DEFAULT_PROFILE: Profile = Object.freeze({
  name: 'default-scheduler',
  filters: [NODE_READY_SCHEDULABLE, NODE_AFFINITY, TAINT_TOLERATION, HOST_PORTS, RESOURCES_FIT, POD_AFFINITY],
  scores: [
    { name: LEAST_ALLOCATED },
    { name: OWNER_SPREAD },
    { name: NODE_AFFINITY_PREFERRED },
    { name: POD_AFFINITY_PREFERRED },
    { name: TAINT_PREFER_NO_SCHEDULE },
  ],
});

/** Builds a profile's Framework. Throws ProfileError if the profile names an unknown plugin or one of the wrong kind. */
export function createFramework(profile: Profile = DEFAULT_PROFILE, registry: Registry = DEFAULT_REGISTRY): Framework {
  const made = new Map<string, Plugin>();
  const make = (name: string): Plugin => {
    let plugin = made.get(name);
    if (plugin === undefined) {
      const factory = Object.hasOwn(registry, name) ? registry[name] : undefined;
      if (factory === undefined) throw new ProfileError('UNKNOWN_PLUGIN', profile.name, name, `profile ${profile.name}: no plugin ${name} is registered`);
      plugin = factory();
      made.set(name, plugin);
    }
    return plugin;
  };
  const filters: FilterPlugin<unknown>[] = profile.filters.map((name) => {
    const plugin = make(name);
    if (!isFilterPlugin(plugin)) throw new ProfileError('NOT_A_FILTER', profile.name, name, `profile ${profile.name}: plugin ${name} is not a filter`);
    return plugin;
  });
  const scores: WeightedScorePlugin[] = profile.scores.map((entry) => {
    const plugin = make(entry.name);
    if (!isScorePlugin(plugin)) throw new ProfileError('NOT_A_SCORE', profile.name, entry.name, `profile ${profile.name}: plugin ${entry.name} is not a score`);
    const weight = entry.weight ?? plugin.weight;
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new ProfileError('BAD_WEIGHT', profile.name, entry.name, `profile ${profile.name}: weight of ${entry.name} must be a positive number, got ${weight}`);
    }
    return { plugin, weight };
  });
  return new Framework(profile.name, filters, scores);
}
