// What every object carries: its type (apiVersion, kind) and its metadata.

/** An RFC 3339 timestamp in UTC, e.g. `2024-05-01T12:00:00.000Z`. Chosen by the caller, never read from a clock here. */
export type Timestamp = string;

/**
 * A resource quantity as written in a manifest: `500m` or `2` CPUs, `128Mi` or
 * `1Gi` bytes, `110` pods. YAML gives a plain number for `cpu: 2`, hence the
 * union. See quantity.ts for parsing into canonical units.
 */
export type Quantity = string | number;

/** An integer or a string: a port number or a port name, a count or a percentage (`25%`). */
export type IntOrString = number | string;

/** Labels: identifying key/value pairs that selectors match. Keys are qualified names, values at most 63 characters. */
export type Labels = Record<string, string>;

/** Annotations: non-identifying key/value pairs for tools and controllers. Keys are qualified names. */
export type Annotations = Record<string, string>;

/** Status of a condition, as in Kubernetes. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** An observation of one aspect of an object's state. */
export interface Condition<TType extends string> {
  type: TType;
  status: ConditionStatus;
  /** When status last changed. */
  lastTransitionTime?: Timestamp;
  /** A CamelCase reason for the last transition, for machines. */
  reason?: string;
  /** A sentence about the last transition, for people. */
  message?: string;
}

/** Points from a dependent to its owner; the garbage collector deletes dependents whose owners are gone. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** True on at most one reference: the owner that manages this object (a ReplicaSet for its pods). */
  controller?: boolean;
  /** If true, the owner is not deleted (in foreground deletion) until this object is. */
  blockOwnerDeletion?: boolean;
}

/** A reference to any object, e.g. the object an Event is about. */
export interface ObjectReference {
  apiVersion?: string;
  kind: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  /** A path within the object, e.g. `spec.containers{web}`. */
  fieldPath?: string;
}

/** Metadata of every stored object. */
export interface ObjectMeta {
  /** Unique within the kind and namespace. A DNS-1123 subdomain (a label for Namespaces and Services). */
  name: string;
  /** The namespace of a namespaced kind; absent for cluster-scoped kinds (Namespace, Node). */
  namespace?: string;
  labels?: Labels;
  annotations?: Annotations;
  /** Set by the server on create; unique in time and space; immutable. */
  uid?: string;
  /**
   * The store revision at which this object was last written, in decimal.
   * Updates carry the version they read; the store refuses a write whose
   * version is not current (optimistic concurrency).
   */
  resourceVersion?: string;
  /** Incremented by the server each time the spec changes; starts at 1. */
  generation?: number;
  /** Set by the server on create; immutable. */
  creationTimestamp?: Timestamp;
  /**
   * Set by the server when a graceful deletion is requested (a pod running on
   * a node: the time after which it may be removed by force); never unset.
   * The object is "terminating" from then on.
   */
  deletionTimestamp?: Timestamp;
  /** The grace period, in seconds, of the deletion requested; set with deletionTimestamp. */
  deletionGracePeriodSeconds?: number;
  ownerReferences?: OwnerReference[];
  /** Keys (qualified names) that must each be removed before the object is really deleted. */
  finalizers?: string[];
}

/** The API group and version of every Drover object. */
export const API_VERSION = 'drover/v1';
export type ApiVersion = typeof API_VERSION;
