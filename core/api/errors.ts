// The errors of the object model. Each names what was wrong and where, with
// typed fields for programs (the API server maps them to gRPC details) and a
// message for people. They are returned inside a Result where the input comes
// from users; they are thrown only for bugs.

/** One broken rule: `spec.replicas` (path), `must be >= 0` (rule), -1 (value). */
export interface FieldError {
  /** The field, as `spec.template.spec.containers[0].ports[1].containerPort`; `<root>` for the object itself. */
  readonly path: string;
  /** The rule it breaks, phrased to follow the path: `must be >= 0`, `is required`, `is immutable`. */
  readonly rule: string;
  /** The offending value (undefined when the field is missing). */
  readonly value: unknown;
}

/** Formats one field error as `path: rule`. */
export function formatFieldError(error: FieldError): string {
  return `${error.path}: ${error.rule}`;
}

/** Which object an error is about, as far as it is known. */
export interface ObjectIdentity {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export function describeObject(id: ObjectIdentity): string {
  const name = id.name === undefined ? undefined : id.namespace === undefined ? id.name : `${id.namespace}/${id.name}`;
  if (id.kind !== undefined && name !== undefined) return `${id.kind} ${name}`;
  if (id.kind !== undefined) return id.kind;
  if (name !== undefined) return name;
  return 'object';
}

/** Base of every error the object model raises on purpose. */
export abstract class ApiModelError extends Error {
  abstract readonly code: string;
}

/**
 * An object breaks one or more rules. The message lists them all as
 * `path: rule`, e.g. `Deployment default/web is invalid: spec.replicas: must be >= 0`.
 */
export class ValidationError extends ApiModelError {
  override readonly name = 'ValidationError';
  readonly code = 'INVALID_OBJECT';
  constructor(
    readonly errors: readonly FieldError[],
    readonly object: ObjectIdentity = {},
    options?: ErrorOptions,
  ) {
    super(`${describeObject(object)} is invalid: ${errors.map(formatFieldError).join('; ')}`, options);
  }
}

/** A resource quantity (`500m`, `128Mi`) does not parse. */
export class QuantityError extends ApiModelError {
  override readonly name = 'QuantityError';
  readonly code = 'INVALID_QUANTITY';
  constructor(
    /** The field the value came from, e.g. `spec.containers[0].resources.limits.cpu`, or just `cpu`. */
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
    options?: ErrorOptions,
  ) {
    super(`${field}: ${rule} (got ${JSON.stringify(value)})`, options);
  }
}

/** The string form of a label selector (`app=web,env in (prod)`) does not parse. */
/** A field selector that cannot be parsed, or names a field its kind cannot be selected on. */
export class FieldSelectorError extends ApiModelError {
  override readonly name = 'FieldSelectorError';
  readonly code = 'INVALID_FIELD_SELECTOR';
  constructor(
    readonly selector: string,
    /** 0-based offset into `selector` of the requirement at fault. */
    readonly offset: number,
    readonly rule: string,
    options?: ErrorOptions,
  ) {
    super(`invalid field selector ${JSON.stringify(selector)} at column ${offset + 1}: ${rule}`, options);
  }
}

export class SelectorParseError extends ApiModelError {
  override readonly name = 'SelectorParseError';
  readonly code = 'INVALID_SELECTOR';
  /** 1-based column of the problem, for people; `offset` + 1. */
  readonly column: number;
  constructor(
    readonly selector: string,
    /** 0-based offset into `selector` where the problem is. */
    readonly offset: number,
    readonly rule: string,
    options?: ErrorOptions,
  ) {
    super(`invalid label selector ${JSON.stringify(selector)} at column ${offset + 1}: ${rule}`, options);
    this.column = offset + 1;
  }
}

/** One thing wrong with one document of a manifest. */
export type ManifestProblem =
  | {
      /** The text is not YAML (or JSON). */
      readonly type: 'syntax';
      /** 0-based index of the document (messages count from 1). */
      readonly documentIndex: number;
      /** 1-based line and column. */
      readonly line: number;
      readonly column: number;
      /** Starts with `malformed YAML:` or `malformed JSON:`. */
      readonly message: string;
    }
  | {
      /** The document parses but is not a valid object. */
      readonly type: 'invalid';
      readonly documentIndex: number;
      /** Index within a `kind: List` document or a JSON array. */
      readonly itemIndex?: number;
      readonly object: ObjectIdentity;
      readonly errors: readonly FieldError[];
    };

/** A manifest file (YAML, possibly several documents, or JSON) does not parse or holds invalid objects. */
export class ManifestError extends ApiModelError {
  override readonly name = 'ManifestError';
  readonly code = 'INVALID_MANIFEST';
  constructor(
    /** Where the text came from: a file name, `<stdin>`. */
    readonly sourceName: string,
    readonly problems: readonly ManifestProblem[],
    options?: ErrorOptions,
  ) {
    super(problems.map((p) => formatManifestProblem(sourceName, p)).join('\n'), options);
  }
}

export function formatManifestProblem(sourceName: string, problem: ManifestProblem): string {
  const doc = `document ${problem.documentIndex + 1}`;
  if (problem.type === 'syntax') {
    return `${sourceName}:${problem.line}:${problem.column}: ${doc}: ${problem.message}`;
  }
  const item = problem.itemIndex === undefined ? '' : `, item ${problem.itemIndex + 1}`;
  return `${sourceName}: ${doc}${item} (${describeObject(problem.object)}): ${problem.errors.map(formatFieldError).join('; ')}`;
}

/**
 * A write was based on a resourceVersion that is no longer current: someone
 * else wrote the object in between. Read it again and retry.
 */
export class ConflictError extends ApiModelError {
  override readonly name = 'ConflictError';
  readonly code = 'CONFLICT';
  constructor(
    readonly object: Required<Pick<ObjectIdentity, 'kind' | 'name'>> & ObjectIdentity,
    /** The resourceVersion the write was based on. */
    readonly expectedResourceVersion: string,
    /** The resourceVersion the object is at now. */
    readonly actualResourceVersion: string,
    options?: ErrorOptions,
  ) {
    super(
      `conflict on ${describeObject(object)}: the write was based on resourceVersion ${expectedResourceVersion}, ` +
        `but the object is at ${actualResourceVersion}; read it again and retry`,
      options,
    );
  }
}
