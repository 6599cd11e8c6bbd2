// The whole path of an object from a user to the store, in one call each:
// what the API server runs on create and on update.

import type { CreateContext } from './defaults/create.js';
import { applyDefaults } from './defaults/create.js';
import { prepareOwnedForUpdate } from './defaults/update.js';
import { ValidationError } from './errors.js';
import type { ApiObject } from './kinds.js';
import type { Result } from './result.js';
import { err, ok } from './result.js';
import { identify, validate, validateTrusting } from './validation/validate.js';
import { updateRuleErrors } from './validation/validate-update.js';

/**
 * Create: validate the object as written, then apply the create defaults.
 * The result is not validated again: the defaults only add server-owned
 * metadata and content derived from fields that passed (the unit tests
 * check that every defaulted object validates), and a second schema pass
 * would cost a sixth of a write's CPU on the master.
 */
export function admitCreate(input: unknown, ctx: CreateContext): Result<ApiObject, ValidationError> {
  const written = validate(input, { beforeDefaults: true });
  if (!written.ok) return written;
  return ok(applyDefaults(written.value, ctx));
}

/**
 * Update of `old` (as stored) to `input`: validate the object as written,
 * carry over what the server owns and bump the generation (prepareForUpdate),
 * then check the rules of the change (immutable fields). As on create, the
 * prepared object is not put through the schemas again, and a spec or status
 * sent back unchanged is not checked again either (it was valid when stored).
 */
export function admitUpdate(old: ApiObject, input: unknown): Result<ApiObject, ValidationError> {
  const known = { spec: 'spec' in old ? old.spec : undefined, status: 'status' in old ? old.status : undefined };
  const { result: written, trusted } = validateTrusting(input, { beforeDefaults: true, knownValid: known });
  if (!written.ok) return written;
  // validate's result is a copy of the input (zod builds it), so admission owns it.
  const next = prepareOwnedForUpdate(old, written.value, trusted.includes('spec'));
  const errors = updateRuleErrors(old, next);
  return errors.length === 0 ? ok(next) : err(new ValidationError(errors, identify(next)));
}

/**
 * Update of `old` to `next` where the server made the change itself from
 * inputs it checked (a bind sets spec.nodeName and the PodScheduled
 * condition): no schema pass, as every other field is the stored, valid
 * one; what the server owns and the rules of the change are applied as for
 * any update. `next` must be the caller's to change, metadata included.
 */
export function admitServerUpdate(old: ApiObject, next: ApiObject): Result<ApiObject, ValidationError> {
  const prepared = prepareOwnedForUpdate(old, next, false);
  const errors = updateRuleErrors(old, prepared);
  return errors.length === 0 ? ok(prepared) : err(new ValidationError(errors, identify(prepared)));
}
