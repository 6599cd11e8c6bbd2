// Validation of whole objects: on create (`validate`) and on update
// (`validateUpdate`). Every problem found is reported, each as
// `<field path>: <rule>`; the schemas (zod) hold the rules of each kind, and
// this file the rules that depend on the kind's scope and on the old object.

import { ValidationError } from '../errors.js';
import type { FieldError, ObjectIdentity } from '../errors.js';
import type { ApiObject, Kind } from '../kinds.js';
import { isKind, kindInfo, KINDS } from '../kinds.js';
import type { Result } from '../result.js';
import { err, ok } from '../result.js';
import { API_VERSION } from '../types/meta.js';
import { defaultRule, toFieldErrors } from './issues.js';
import { z } from 'zod';
import { sameJson } from './diff.js';
import { SCHEMAS } from './schemas/by-kind.js';

export interface ValidateOptions {
  /**
   * The object is as a user wrote it, before applyDefaults: a namespaced
   * object may then lack metadata.namespace (defaults give it `default`).
   * Default false: the object is about to be stored, and must be complete.
   */
  readonly beforeDefaults: boolean;
  /**
   * Fields of the stored object, on update, known to be valid (they were
   * when it was stored). An input field equal to its known one is not
   * checked again: most updates change metadata or one of spec and status,
   * and send the other back as read (a pod spec is most of the schema's
   * work). Every other field is checked as usual.
   */
  readonly knownValid?: KnownValid;
}

/** The stored object's spec and status, as `ValidateOptions.knownValid` takes them. */
export interface KnownValid {
  readonly spec?: unknown;
  readonly status?: unknown;
}

/** The fields `knownValid` can cover; the input's field must equal the stored one to be trusted. */
const TRUSTABLE = ['spec', 'status'] as const;
export type TrustableField = (typeof TRUSTABLE)[number];

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const shapeOf = (kind: Kind): Record<string, unknown> => (SCHEMAS[kind] as unknown as z.ZodObject).shape;

// Per kind and set of trusted fields, the schema with those fields taken as they are (built on first use).
const trustedSchemas = new Map<string, z.ZodType>();

function schemaFor(kind: Kind, trusted: readonly TrustableField[]): z.ZodType {
  const full = SCHEMAS[kind] as unknown as z.ZodObject;
  if (trusted.length === 0) return full;
  const key = `${kind}:${trusted.join(',')}`;
  let s = trustedSchemas.get(key);
  if (s === undefined) trustedSchemas.set(key, (s = full.extend(Object.fromEntries(trusted.map((f) => [f, z.unknown()])))));
  return s;
}

/** The fields of the kind's schema that `input` has as the same JSON as their known-valid stored values. */
function trustedFields(kind: Kind, input: Json, known: KnownValid | undefined): TrustableField[] {
  if (known === undefined) return [];
  const shape = shapeOf(kind);
  return TRUSTABLE.filter((f) => f in shape && known[f] !== undefined && input[f] !== undefined && sameJson(input[f], known[f]));
}

/** Kind, namespace and name of a possibly invalid object, for messages. */
export function identify(input: unknown): ObjectIdentity {
  if (!isRecord(input)) return {};
  const meta = isRecord(input['metadata']) ? input['metadata'] : {};
  const id: { kind?: string; namespace?: string; name?: string } = {};
  if (typeof input['kind'] === 'string') id.kind = input['kind'];
  if (typeof meta['namespace'] === 'string') id.namespace = meta['namespace'];
  if (typeof meta['name'] === 'string') id.name = meta['name'];
  return id;
}

/** Keeps the first of identical errors (the type checks and the schemas can both catch a bad apiVersion). */
function dedupe(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\u0000${e.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The rules about the type fields, checked first: without a known kind there is no schema to apply. */
function checkTypeFields(input: Json): { errors: FieldError[]; kind?: Kind } {
  const errors: FieldError[] = [];
  const apiVersion = input['apiVersion'];
  if (apiVersion !== API_VERSION) {
    errors.push({ path: 'apiVersion', rule: apiVersion === undefined ? 'is required' : `must be "${API_VERSION}"`, value: apiVersion });
  }
  const kind = input['kind'];
  if (isKind(kind)) return { errors, kind };
  errors.push({ path: 'kind', rule: kind === undefined ? 'is required' : `must be one of ${KINDS.join(', ')}`, value: kind });
  return { errors };
}

/** The namespace is required for namespaced kinds (after defaults) and forbidden for cluster-scoped ones. */
function checkScope(kind: Kind, input: Json, options: ValidateOptions): FieldError[] {
  const meta = input['metadata'];
  if (!isRecord(meta)) return []; // the schema reports it
  const namespace = meta['namespace'];
  if (kindInfo(kind).namespaced) {
    if (namespace === undefined && !options.beforeDefaults) {
      return [{ path: 'metadata.namespace', rule: `is required for kind ${kind}`, value: namespace }];
    }
  } else if (namespace !== undefined) {
    return [{ path: 'metadata.namespace', rule: `must not be set: kind ${kind} is cluster-scoped`, value: namespace }];
  }
  return [];
}

/**
 * Validates an object for create: its type fields, the schema of its kind
 * (unknown fields are errors), and its scope. Returns the typed object (a
 * copy), or a ValidationError listing every broken rule.
 */
export function validate(input: unknown, options: Partial<ValidateOptions> = {}): Result<ApiObject, ValidationError> {
  return validateTrusting(input, options).result;
}

/** validate, also saying which fields it took as known valid (ValidateOptions.knownValid) instead of checking them. */
export function validateTrusting(input: unknown, options: Partial<ValidateOptions> = {}): { readonly result: Result<ApiObject, ValidationError>; readonly trusted: readonly TrustableField[] } {
  const opts: ValidateOptions = { beforeDefaults: options.beforeDefaults ?? false };
  if (!isRecord(input)) {
    return { result: err(new ValidationError([{ path: '<root>', rule: 'must be an object (a mapping) with apiVersion, kind and metadata', value: input }])), trusted: [] };
  }
  const typeCheck = checkTypeFields(input);
  if (typeCheck.kind === undefined) return { result: err(new ValidationError(typeCheck.errors, identify(input))), trusted: [] };

  const trusted = trustedFields(typeCheck.kind, input, options.knownValid);
  const parsed = schemaFor(typeCheck.kind, trusted).safeParse(input, { error: defaultRule, reportInput: true });
  const errors = dedupe([
    ...typeCheck.errors,
    ...(parsed.success ? [] : toFieldErrors(parsed.error.issues)),
    ...checkScope(typeCheck.kind, input, opts),
  ]);
  if (errors.length > 0 || !parsed.success) return { result: err(new ValidationError(errors, identify(input))), trusted };
  return { result: ok(parsed.data as ApiObject), trusted };
}
