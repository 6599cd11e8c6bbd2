// From zod's issues to Drover's field errors: `spec.replicas: must be >= 0`.
//
// Schemas state their own rules (`.min(0, 'must be >= 0')`); `defaultRule`
// phrases the generic ones (a wrong type, a missing field, an unknown field)
// in the same voice, so that every message reads "<field path> <rule>".

import type { z } from 'zod';
import type { FieldError } from '../errors.js';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['spec', 'containers', 0, 'name']` -> `spec.containers[0].name`; keys that are not identifiers go in brackets. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const s = String(segment);
      out += IDENTIFIER.test(s) ? (out === '' ? s : `.${s}`) : `[${s}]`;
    }
  }
  return out === '' ? '<root>' : out;
}

const ARTICLE_AN = /^[aeiou]/;

function typeName(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'record':
    case 'object':
      return 'an object (a mapping)';
    case 'array':
      return 'a list';
    default:
      return `${ARTICLE_AN.test(expected) ? 'an' : 'a'} ${expected}`;
  }
}

/** The per-parse error map: rules for every issue a schema does not phrase itself. */
export function defaultRule(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${typeName(issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'array') return issue.minimum === 1 ? 'must not be empty' : `must have at least ${min} items`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${min} characters`;
      return issue.inclusive === false ? `must be > ${min}` : `must be >= ${min}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'array') return `must have at most ${max} items`;
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      return issue.inclusive === false ? `must be < ${max}` : `must be <= ${max}`;
    }
    case 'unrecognized_keys':
      return 'is not a known field';
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    case 'invalid_format':
      return `must be ${issue.format === 'regex' ? `of the form ${String(issue['pattern'])}` : `a valid ${issue.format}`}`;
    default:
      return issue.message ?? 'is invalid';
  }
}

/** Flattens zod's issues into field errors: one per issue, and one per field of an unknown-fields issue. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const container = issue.input;
      for (const key of issue.keys) {
        const value = typeof container === 'object' && container !== null ? (container as Record<string, unknown>)[key] : undefined;
        out.push({ path: formatPath([...issue.path, key]), rule: issue.message, value });
      }
    } else {
      out.push({ path: formatPath(issue.path), rule: issue.message, value: issue.input });
    }
  }
  return out;
}
