// The whole path of an object from a user to the store, in one call each:
// what the API server runs on create and on update.

import type { CreateContext } from './defaults/create.js';
import { applyDefaults } from './defaults/create.js';
import { prepareForUpdate } from './defaults/update.js';
import type { ValidationError } from './errors.js';
import type { ApiObject } from './kinds.js';
import type { Result } from './result.js';
import { validate } from './validation/validate.js';
import { validateUpdate } from './validation/validate-update.js';

/**
 * Create: validate the object as written, apply the create defaults, and
 * validate the result as it will be stored. `ctx` brings the time and the uid.
 */
export function admitCreate(input: unknown, ctx: CreateContext): Result<ApiObject, ValidationError> {
  const written = validate(input, { beforeDefaults: true });
  if (!written.ok) return written;
  return validate(applyDefaults(written.value, ctx));
}

/**
 * Update of `old` (as stored) to `input`: validate the object as written,
 * carry over what the server owns and bump the generation (prepareForUpdate),
 * then check the update rules (validateUpdate).
 */
export function admitUpdate(old: ApiObject, input: unknown): Result<ApiObject, ValidationError> {
  const written = validate(input, { beforeDefaults: true });
  if (!written.ok) return written;
  return validateUpdate(old, prepareForUpdate(old, written.value));
}
