// Node selector terms (node affinity) compiled for matching against NodeInfos.

import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../api/index.js';
import type { NodeInfo } from '../node-info.js';

/** A requirement with Gt/Lt's bound parsed once. */
export interface CompiledRequirement {
  readonly key: string;
  readonly operator: NodeSelectorRequirement['operator'];
  readonly values: readonly string[];
  /** Gt and Lt: the integer bound; NaN when it does not parse (then nothing matches). */
  readonly bound: number;
}

/** The requirements of one term, ANDed. An empty term matches no node, as in Kubernetes. */
export type CompiledTerm = readonly CompiledRequirement[];

const INTEGER = /^-?\d+$/;

export function compileTerm(term: NodeSelectorTerm): CompiledTerm {
  return term.matchExpressions.map((r) => ({
    key: r.key,
    operator: r.operator,
    values: r.values ?? [],
    bound: (r.operator === 'Gt' || r.operator === 'Lt') && INTEGER.test(r.values?.[0] ?? '') ? Number(r.values?.[0]) : Number.NaN,
  }));
}

export function termMatches(term: CompiledTerm, node: NodeInfo): boolean {
  if (term.length === 0) return false;
  for (const r of term) {
    if (!requirementMatches(r, node.labelValue(r.key))) return false;
  }
  return true;
}

/** The terms are ORed: a node matches if it matches one. */
export function anyTermMatches(terms: readonly CompiledTerm[], node: NodeInfo): boolean {
  for (const term of terms) {
    if (termMatches(term, node)) return true;
  }
  return false;
}

function requirementMatches(r: CompiledRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !INTEGER.test(value)) return false;
      const n = Number(value);
      return r.operator === 'Gt' ? n > r.bound : n < r.bound;
    }
  }
}
