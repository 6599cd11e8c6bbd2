import type { ApiObject, Kind } from '../api/index.js';

/** Where to read from or list in. */
export interface NamespaceOptions {
  /** Absent: `default` for namespaced kinds (the server decides); ignored for cluster-scoped kinds. */
  readonly namespace?: string;
}

export interface GetOptions extends NamespaceOptions {
  /** Read the master's local state without a ReadIndex round (may be behind). */
  readonly stale?: boolean;
}

export interface ListOptions {
  /** Absent (and `allNamespaces` not set): every namespace, as the API does. */
  readonly namespace?: string;
  /** Every namespace, even if `namespace` is set. */
  readonly allNamespaces?: boolean;
  /** A label selector in its string form, `app=web,tier!=db`. */
  readonly selector?: string;
  /** A field selector, `spec.nodeName=n1,status.phase!=Failed`. */
  readonly fieldSelector?: string;
  /** At most this many items per page. */
  readonly limit?: number;
  /** The `continue` token of the previous page. */
  readonly continue?: string;
  readonly stale?: boolean;
}

export interface DeleteOptions extends NamespaceOptions {
  /** Delete only if the object is still at this version. */
  readonly resourceVersion?: string;
  /**
   * Pods: seconds the node agent gives the pod to stop before killing it.
   * Absent: the pod's terminationGracePeriodSeconds; 0: removed at once.
   */
  readonly gracePeriodSeconds?: number;
  /** Delete only if the object is still this one (its uid). */
  readonly uid?: string;
}

/** What `apply` did, as the master's Apply answers it. */
export type { ApplyAction, ApplyResult } from '../master/index.js';

export interface WatchOptions {
  readonly namespace?: string;
  readonly selector?: string;
  readonly fieldSelector?: string;
  /**
   * Deliver changes after this revision. Absent: the client first reads the
   * current revision (a one-item list) and watches from there, so even the
   * very first reconnect has a revision to resume from.
   */
  readonly resourceVersion?: string;
}

/** One change seen by a watch, in revision order. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly kind: Kind;
  readonly object: ApiObject;
  readonly revision: number;
}

/** A running watch. */
export interface WatchHandle {
  /** Stops the watch; `done` then resolves. */
  cancel(): void;
  /**
   * Resolves after `cancel()`. Rejects with an ApiError when the watch cannot
   * go on: its revision was compacted (FAILED_PRECONDITION), or no master
   * answered within the retry budget; or with what `onEvent` threw.
   */
  readonly done: Promise<void>;
  /** The revision of the last event delivered (or the start revision). */
  readonly lastRevision: number;
}

/** The masters' raft status as `ClusterStatus` answers it (the masters' own type). */
export type { ClusterStatus, MasterStatus } from '../master/process/index.js';
