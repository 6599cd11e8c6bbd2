// Validation of an update: the new object must be valid on its own, and
// must not change what may not change once created.

import { ValidationError } from '../errors.js';
import type { FieldError } from '../errors.js';
import type { ApiObject } from '../kinds.js';
import type { Result } from '../result.js';
import { err } from '../result.js';
import type { Pod } from '../types/pod.js';
import { deepEqual, diffPaths } from './diff.js';
import { identify, validate } from './validate.js';

type Json = Record<string, unknown>;

function field(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

function immutable(path: string, was: unknown, now: unknown): FieldError {
  return { path, rule: `is immutable (was ${JSON.stringify(was) ?? 'unset'})`, value: now };
}

/** Fields of every kind that never change after create. */
const IMMUTABLE_METADATA = ['name', 'namespace', 'uid', 'creationTimestamp'] as const;

/** The pod spec fields an update may change; everything else in a pod's spec is fixed at create. */
const POD_SPEC_MUTABLE = /^spec\.containers\[\d+\]\.image$|^spec\.activeDeadlineSeconds$|^spec\.tolerations(\[|$)/;
const POD_SPEC_RULE = 'is immutable: a pod update may only change containers[*].image, activeDeadlineSeconds and tolerations, and set nodeName once';

function checkPodSpec(old: Pod, next: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const oldNode = old.spec.nodeName;
  const newNode = field(next, 'spec', 'nodeName');
  if (oldNode !== undefined && newNode !== oldNode) {
    errors.push({ path: 'spec.nodeName', rule: `may not change once set (was ${JSON.stringify(oldNode)})`, value: newNode });
  }
  const nextSpec = field(next, 'spec');
  if (deepEqual(old.spec, nextSpec)) return errors;
  for (const path of diffPaths({ spec: old.spec }, { spec: nextSpec })) {
    if (path === 'spec.nodeName' || POD_SPEC_MUTABLE.test(path)) continue;
    errors.push({ path, rule: POD_SPEC_RULE, value: undefined });
  }
  return errors;
}

/**
 * The rules of an update from `old` (as stored) to `next`:
 * - `next` passes `validate` (after defaults);
 * - kind, metadata.name, namespace, uid and creationTimestamp do not change;
 *   metadata.deletionTimestamp does not change once set;
 * - ReplicaSet and Deployment: spec.selector does not change;
 * - Pod: the spec does not change except containers' images,
 *   activeDeadlineSeconds, tolerations, and nodeName from unset to set.
 * Every broken rule is reported. The resourceVersion check (optimistic
 * concurrency) is the store's, not this function's.
 */
export function validateUpdate(old: ApiObject, next: unknown): Result<ApiObject, ValidationError> {
  const errors = updateRuleErrors(old, next);
  const result = validate(next);
  if (errors.length === 0) return result;
  const all = [...errors, ...(result.ok ? [] : result.error.errors)];
  return err(new ValidationError(all, identify(next)));
}

/**
 * Only the rules of changing `old` into `next` (immutable fields, the pod
 * spec): for a `next` that is valid on its own already.
 */
export function updateRuleErrors(old: ApiObject, next: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const kind = field(next, 'kind');
  if (kind !== old.kind) {
    errors.push(immutable('kind', old.kind, kind));
    return errors;
  }
  for (const key of IMMUTABLE_METADATA) {
    const was = old.metadata[key];
    const now = field(next, 'metadata', key);
    if (was !== now) errors.push(immutable(`metadata.${key}`, was, now));
  }
  const deletion = old.metadata.deletionTimestamp;
  const newDeletion = field(next, 'metadata', 'deletionTimestamp');
  if (deletion !== undefined && newDeletion !== deletion) {
    errors.push({ path: 'metadata.deletionTimestamp', rule: `may not change once set (was ${JSON.stringify(deletion)})`, value: newDeletion });
  }
  const grace = old.metadata.deletionGracePeriodSeconds;
  const newGrace = field(next, 'metadata', 'deletionGracePeriodSeconds');
  if (grace !== undefined && newGrace !== grace) {
    errors.push({ path: 'metadata.deletionGracePeriodSeconds', rule: `may not change once set (was ${grace})`, value: newGrace });
  }
  if (old.kind === 'ReplicaSet' || old.kind === 'Deployment') {
    const selector = field(next, 'spec', 'selector');
    if (!deepEqual(old.spec.selector, selector)) errors.push(immutable('spec.selector', old.spec.selector, selector));
  }
  if (old.kind === 'Pod') errors.push(...checkPodSpec(old, next));
  return errors;
}
