// Field selectors: select objects by a few of their fields, as
// `drover get pods --field-selector spec.nodeName=n1` and the node agents'
// watches do.
//
//   selector    := '' | requirement (',' requirement)*
//   requirement := field ('=' | '==' | '!=') value
//
// Only the fields listed in FIELDS_BY_KIND can be selected on (so that a
// typo is an error, not an empty answer); a missing field reads as ''.

import { FieldSelectorError } from '../errors.js';
import type { Kind } from '../kinds.js';
import { err, ok, type Result } from '../result.js';

export interface FieldRequirement {
  /** A dotted path, e.g. `spec.nodeName`. */
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

/** Every requirement must hold. Empty: selects everything. */
export type FieldSelector = readonly FieldRequirement[];

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

/** The fields each kind can be selected on, beyond metadata.name and metadata.namespace. */
export const FIELDS_BY_KIND: Partial<Record<Kind, readonly string[]>> = {
  Pod: ['spec.nodeName', 'status.phase', 'spec.restartPolicy'],
  Node: ['spec.unschedulable'],
  Event: ['involvedObject.kind', 'involvedObject.name', 'involvedObject.namespace', 'involvedObject.uid', 'reason', 'type'],
};

function selectable(kind: Kind, field: string): boolean {
  return COMMON_FIELDS.includes(field) || (FIELDS_BY_KIND[kind]?.includes(field) ?? false);
}

/** Parses `spec.nodeName=n1,status.phase!=Failed` for objects of `kind`. */
export function parseFieldSelector(kind: Kind, input: string): Result<FieldSelector, FieldSelectorError> {
  const out: FieldRequirement[] = [];
  if (input.trim() === '') return ok(out);
  let offset = 0;
  for (const part of input.split(',')) {
    const m = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*([^\s]*)\s*$/.exec(part);
    if (m === null) return err(new FieldSelectorError(input, offset, 'expected <field>=<value> or <field>!=<value>'));
    const [, field = '', op = '=', value = ''] = m;
    if (!selectable(kind, field)) {
      const known = [...COMMON_FIELDS, ...(FIELDS_BY_KIND[kind] ?? [])].join(', ');
      return err(new FieldSelectorError(input, offset, `${kind} cannot be selected on ${JSON.stringify(field)} (fields: ${known})`));
    }
    out.push({ field, op: op === '!=' ? '!=' : '=', value });
    offset += part.length + 1;
  }
  return ok(out);
}

/** The field at a dotted path as a string ('' when missing; booleans and numbers in their string form). */
export function fieldValue(obj: unknown, path: string): string {
  let at: unknown = obj;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return '';
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' ? at : typeof at === 'number' || typeof at === 'boolean' ? String(at) : '';
}

export function fieldsMatch(selector: FieldSelector, obj: unknown): boolean {
  for (const r of selector) {
    const equal = fieldValue(obj, r.field) === r.value;
    if (equal !== (r.op === '=')) return false;
  }
  return true;
}

export function formatFieldSelector(selector: FieldSelector): string {
  return selector.map((r) => `${r.field}${r.op}${r.value}`).join(',');
}
