// The kinds Drover stores, and what the rest of the system needs to know about
// each: its plural (the storage key segment), whether it lives in a
// namespace, and the short names the CLI accepts.

import type { Event } from './types/event.js';
import type { Namespace } from './types/namespace.js';
import type { Node } from './types/node.js';
import type { Pod } from './types/pod.js';
import type { Endpoints, Service } from './types/service.js';
import type { Deployment, ReplicaSet } from './types/workloads.js';

/** Every object Drover stores. Narrow on `kind`. */
export type ApiObject = Namespace | Node | Pod | ReplicaSet | Deployment | Service | Endpoints | Event;

/** The name of a kind: `'Pod'`, `'Deployment'`, ... */
export type Kind = ApiObject['kind'];

/** The object type of a kind: `ObjectOfKind<'Pod'>` is `Pod`. */
export type ObjectOfKind<K extends Kind> = Extract<ApiObject, { kind: K }>;

export interface KindInfo {
  readonly kind: Kind;
  /** Lowercase plural: the segment of storage keys and the CLI's resource name (`pods`). */
  readonly plural: string;
  /** Whether objects of the kind live in a namespace (false: cluster-scoped). */
  readonly namespaced: boolean;
  /** Other names the CLI accepts, lowercase (`po`, `pod`). */
  readonly shortNames: readonly string[];
}

const KIND_LIST: readonly KindInfo[] = [
  { kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns', 'namespace'] },
  { kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no', 'node'] },
  { kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po', 'pod'] },
  { kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs', 'replicaset'] },
  { kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy', 'deployment'] },
  { kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc', 'service'] },
  { kind: 'Endpoints', plural: 'endpoints', namespaced: true, shortNames: ['ep'] },
  { kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev', 'event'] },
];

/** Every kind, in a stable order (cluster-scoped first, then workloads, then the rest). */
export const KINDS: readonly Kind[] = KIND_LIST.map((info) => info.kind);

const BY_KIND = new Map<string, KindInfo>(KIND_LIST.map((info) => [info.kind, info]));
const BY_ANY_NAME = new Map<string, KindInfo>(
  KIND_LIST.flatMap((info) => [info.kind.toLowerCase(), info.plural, ...info.shortNames].map((n) => [n, info] as const)),
);

/** True if `value` names a kind exactly (`'Pod'`, not `'pods'`). */
export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && BY_KIND.has(value);
}

export function kindInfo(kind: Kind): KindInfo {
  const info = BY_KIND.get(kind);
  // Invariant: Kind is exactly the keys of BY_KIND; a miss is a caller casting around the type.
  if (info === undefined) throw new TypeError(`unknown kind ${JSON.stringify(kind)}`);
  return info;
}

export function isNamespaced(kind: Kind): boolean {
  return kindInfo(kind).namespaced;
}

/**
 * The kind a user means by `name`, case-insensitively: the kind (`Pod`), its
 * plural (`pods`) or a short name (`po`). Undefined if none.
 */
export function resolveKind(name: string): Kind | undefined {
  return BY_ANY_NAME.get(name.toLowerCase())?.kind;
}
