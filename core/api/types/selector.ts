// Label selectors, as objects carry them (ReplicaSet, Deployment, affinity terms).

/** The set-based operators of a label selector requirement. */
export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/**
 * One requirement on one label key. `In` and `NotIn` take one or more values;
 * `Exists` and `DoesNotExist` take none. `NotIn` and `DoesNotExist` match
 * objects that lack the key.
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}

/**
 * A label selector: every entry of `matchLabels` (`key = value`) and every
 * requirement of `matchExpressions` must hold (they are ANDed). An empty
 * selector matches everything; workload kinds forbid it.
 */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}
