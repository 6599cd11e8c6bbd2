import { fieldsMatch, isKind, isNamespaced, keyFor, matches, parseFieldSelector, parseSelector, prefixFor, type ApiObject, type ValidationError } from '../api/index.js';
import { ApiError } from '../grpc/index.js';
import type { TxnResult } from '../store/index.js';
import type { ApiFailure } from './api-protocol.js';
import type { ObjectFilter } from './watch-hub.js';

// What the API server makes of requests, and of the store's answers: keys,
// selections, errors. Pure; the actor (api-server.ts) does the I/O.

/** The key a request names, with the namespace defaulted as on create. */
export function keyOfRequest(kind: unknown, namespace: string | undefined, name: unknown): string {
  if (!isKind(kind)) throw new ApiError('INVALID_ARGUMENT', `kind: unknown kind ${JSON.stringify(kind)}`, { field: 'kind' });
  if (typeof name !== 'string' || name === '') throw new ApiError('INVALID_ARGUMENT', 'name: required', { field: 'metadata.name' });
  try {
    return keyFor(kind, isNamespaced(kind) ? (namespace ?? 'default') : undefined, name);
  } catch (e) {
    throw new ApiError('INVALID_ARGUMENT', (e as Error).message, { field: 'metadata' });
  }
}

export function prefixOfRequest(kind: unknown, namespace: string | undefined): string {
  if (!isKind(kind)) throw new ApiError('INVALID_ARGUMENT', `kind: unknown kind ${JSON.stringify(kind)}`, { field: 'kind' });
  return prefixFor(kind, isNamespaced(kind) ? namespace : undefined);
}

/** What a list or watch selects: one filter for its label and field selectors, and the node it pins pods to. */
export interface Selection {
  /** Null: everything under the prefix. */
  readonly filter: ObjectFilter | null;
  /** `spec.nodeName=n1` on Pods: such lists and watches use the node index. (`spec.nodeName=`, unbound pods, is not in it.) */
  readonly node: string | undefined;
}

export function selectionOf(kind: unknown, selector: string | undefined, fieldSelector: string | undefined): Selection {
  const labels = selector ? parseSelector(selector) : null;
  if (labels && !labels.ok) throw new ApiError('INVALID_ARGUMENT', `selector: ${labels.error.message}`, { field: 'selector' });
  const fields = fieldSelector && isKind(kind) ? parseFieldSelector(kind, fieldSelector) : null;
  if (fields && !fields.ok) throw new ApiError('INVALID_ARGUMENT', `fieldSelector: ${fields.error.message}`, { field: 'fieldSelector' });
  const pinned = kind === 'Pod' && fields ? fields.value.find((r) => r.field === 'spec.nodeName' && r.op === '=')?.value : undefined;
  const node = pinned === '' ? undefined : pinned;
  if (labels === null && fields === null) return { filter: null, node };
  return { filter: (obj) => (labels === null || matches(labels.value, obj.metadata.labels ?? {})) && (fields === null || fieldsMatch(fields.value, obj)), node };
}

export function failure(e: unknown): ApiFailure {
  if (e instanceof ApiError) return { code: e.code, message: e.message, details: e.details };
  const v = e as Partial<ValidationError>;
  if (v?.name === 'ValidationError' && Array.isArray(v.errors)) {
    return { code: 'INVALID_ARGUMENT', message: v.message ?? 'invalid object', details: { violations: v.errors.map((f) => ({ path: f.path, rule: f.rule })), ...(v.errors[0] ? { field: v.errors[0].path, rule: v.errors[0].rule } : {}) } };
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), details: {} };
}

/** ABORTED: `key` is no longer at the version a write expected. */
export function modifiedError(key: string, expected: number, actual: number | string): ApiError {
  return new ApiError('ABORTED', `${key} was modified: expected resourceVersion ${expected}, found ${actual}`, {
    objectKey: key,
    expectedRevision: String(expected),
    actualRevision: String(actual),
  });
}

/** Why a compare-on-revision transaction did not write: the key is gone, or moved (its failure branch read it). */
export function conflictOrMissing(key: string, res: TxnResult, expected: number): ApiError {
  const current = res.results[0]?.type === 'range' ? res.results[0].kvs[0] : undefined;
  if (current === undefined) return new ApiError('NOT_FOUND', `${key} not found`, { objectKey: key });
  return modifiedError(key, expected, current.modRevision);
}

/** The object as written at `revision`. */
export function atRevision<T extends ApiObject>(obj: T, revision: number): T {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
}
