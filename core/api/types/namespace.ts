// Namespace: a scope for names of namespaced kinds.

import type { ApiVersion, ObjectMeta } from './meta.js';

export interface NamespaceSpec {
  /** Keys that must each be removed before the namespace is deleted (after its contents are). */
  finalizers?: string[];
}

export interface NamespaceStatus {
  /** Terminating from the deletion request until every object in it is gone. Defaults to Active. */
  phase?: 'Active' | 'Terminating';
}

export interface Namespace {
  apiVersion: ApiVersion;
  kind: 'Namespace';
  /** Cluster-scoped: no namespace. The name is a DNS-1123 label. */
  metadata: ObjectMeta;
  spec?: NamespaceSpec;
  status?: NamespaceStatus;
}
