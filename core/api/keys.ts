// Where objects live in the store:
//   namespaced kinds:     /registry/<plural>/<namespace>/<name>
//   cluster-scoped kinds: /registry/<plural>/<name>
// Prefixes end in '/', so that the prefix of namespace `a` never covers
// namespace `ab`.

import type { ApiObject, Kind } from './kinds.js';
import { kindInfo, KINDS } from './kinds.js';

export const REGISTRY_PREFIX = '/registry/';

/** The parts of a storage key. */
export interface ObjectKey {
  readonly kind: Kind;
  /** Absent for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
}

/**
 * The storage key of one object. `namespace` is required for namespaced kinds
 * and must be undefined for cluster-scoped ones; a mismatch is a bug and throws.
 */
export function keyFor(kind: Kind, namespace: string | undefined, name: string): string {
  const info = kindInfo(kind);
  assertSegment(name, 'name', kind);
  if (info.namespaced) {
    if (namespace === undefined) throw new TypeError(`keyFor: kind ${kind} is namespaced; a namespace is required`);
    assertSegment(namespace, 'namespace', kind);
    return `${REGISTRY_PREFIX}${info.plural}/${namespace}/${name}`;
  }
  if (namespace !== undefined) throw new TypeError(`keyFor: kind ${kind} is cluster-scoped; got namespace ${JSON.stringify(namespace)}`);
  return `${REGISTRY_PREFIX}${info.plural}/${name}`;
}

/** The storage key of an object (its kind, metadata.namespace and metadata.name). */
export function keyOf(obj: ApiObject): string {
  return keyFor(obj.kind, kindInfo(obj.kind).namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
}

/**
 * The key prefix of every object of `kind` (no namespace), or of those in one
 * namespace. Giving a namespace for a cluster-scoped kind is a bug and throws.
 */
export function prefixFor(kind: Kind, namespace?: string): string {
  const info = kindInfo(kind);
  if (namespace === undefined) return `${REGISTRY_PREFIX}${info.plural}/`;
  if (!info.namespaced) throw new TypeError(`prefixFor: kind ${kind} is cluster-scoped; got namespace ${JSON.stringify(namespace)}`);
  assertSegment(namespace, 'namespace', kind);
  return `${REGISTRY_PREFIX}${info.plural}/${namespace}/`;
}

/** The kind, namespace and name a storage key stands for; undefined if it is not an object key. */
export function parseKey(key: string): ObjectKey | undefined {
  if (!key.startsWith(REGISTRY_PREFIX)) return undefined;
  const parts = key.slice(REGISTRY_PREFIX.length).split('/');
  const info = PLURALS.get(parts[0] ?? '');
  if (info === undefined) return undefined;
  if (info.namespaced) {
    const [, namespace, name] = parts;
    if (parts.length !== 3 || !namespace || !name) return undefined;
    return { kind: info.kind, namespace, name };
  }
  const [, name] = parts;
  if (parts.length !== 2 || !name) return undefined;
  return { kind: info.kind, name };
}

const PLURALS = new Map(KINDS.map((kind) => [kindInfo(kind).plural, kindInfo(kind)]));

// Names and namespaces are validated DNS names before they get here; this only
// guards the key layout against a caller passing something unvalidated.
function assertSegment(value: string, what: string, kind: Kind): void {
  if (value.length === 0 || value.includes('/')) {
    throw new TypeError(`key of ${kind}: ${what} ${JSON.stringify(value)} must be non-empty and contain no '/'`);
  }
}
