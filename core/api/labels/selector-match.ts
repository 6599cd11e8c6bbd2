// Does a selector select a set of labels?

import type { Labels } from '../types/meta.js';
import type { LabelSelector, LabelSelectorRequirement } from '../types/selector.js';

/**
 * True if `labels` satisfy every matchLabels entry and every matchExpressions
 * requirement. The empty selector matches everything. `NotIn` and
 * `DoesNotExist` hold for labels that lack the key.
 */
export function matches(selector: LabelSelector, labels: Labels | undefined): boolean {
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(have, key) || have[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    if (!requirementHolds(requirement, have)) return false;
  }
  return true;
}

export function requirementHolds(requirement: LabelSelectorRequirement, labels: Labels): boolean {
  const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'In':
      return value !== undefined && (requirement.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(requirement.values ?? []).includes(value);
  }
}

/** True if the selector has no requirement at all (and so matches everything). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** A selector that requires exactly these labels (a Service's selector, a pod template's labels). */
export function selectorFromLabels(labels: Labels): LabelSelector {
  return { matchLabels: { ...labels } };
}
