// The string form of a selector, for display and for `-l` round trips.

import type { LabelSelector, LabelSelectorRequirement } from '../types/selector.js';

/**
 * Formats a selector in the syntax parseSelector reads: matchLabels first,
 * sorted by key, then matchExpressions in order. The empty selector formats as ''.
 */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`);
  for (const requirement of selector.matchExpressions ?? []) parts.push(formatRequirement(requirement));
  return parts.join(',');
}

function formatRequirement(r: LabelSelectorRequirement): string {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'In':
      return `${r.key} in (${values.join(',')})`;
    case 'NotIn':
      return values.length === 1 ? `${r.key}!=${values[0]}` : `${r.key} notin (${values.join(',')})`;
  }
}
