import type { ApiObject, Kind } from '../api/index.js';
import type { ApiErrorCode, ApiErrorDetails } from '../grpc/index.js';

/**
 * What the API actor (`/user/api` on every master) accepts. Every request is
 * answered to its sender with an ApiReply: plain data, so it crosses
 * processes. The gRPC gateway maps RPCs onto these; in simulation, clients
 * ask the actor directly.
 */
export type ApiRequest =
  | { readonly type: 'create'; readonly object: unknown }
  | { readonly type: 'update'; readonly object: unknown }
  /**
   * Replaces only the status of the stored object (the /status subresource):
   * at the object's resourceVersion when it names one, else at the latest
   * version, read again when another writer comes in between. Answered with
   * the object as stored.
   */
  | { readonly type: 'update-status'; readonly object: unknown }
  /**
   * Binds pods to nodes (the scheduler's write): sets spec.nodeName and the
   * PodScheduled condition of each, in as few log entries as the store's
   * transaction limits allow. A pod that changed since it was read, is
   * already bound or is gone fails alone. Answered with a BindResult.
   */
  | { readonly type: 'bind'; readonly bindings: readonly PodBinding[] }
  /** Create, or update to match (at the version read), or leave as it is: answered with an ApplyResult. */
  | { readonly type: 'apply'; readonly object: unknown }
  | { readonly type: 'get'; readonly kind: Kind; readonly namespace?: string; readonly name: string; readonly stale?: boolean }
  | {
      readonly type: 'list';
      readonly kind: Kind;
      /** Absent: every namespace. */
      readonly namespace?: string;
      /** A label selector in its string form, e.g. `app=web,tier!=db`. */
      readonly selector?: string;
      /** A field selector, e.g. `spec.nodeName=n1` (see core/api fields). */
      readonly fieldSelector?: string;
      readonly limit?: number;
      /** The `continue` token of the previous page. */
      readonly continue?: string;
      readonly stale?: boolean;
    }
  /**
   * Deletes an object. A pod bound to a node and not finished is deleted
   * gracefully: it gets metadata.deletionTimestamp (now + the grace period)
   * and deletionGracePeriodSeconds, and its node agent stops it and then
   * removes it with grace 0. `gracePeriodSeconds` defaults to the pod's
   * terminationGracePeriodSeconds; 0 removes it at once (force).
   */
  | {
      readonly type: 'delete';
      readonly kind: Kind;
      readonly namespace?: string;
      readonly name: string;
      readonly resourceVersion?: string;
      readonly gracePeriodSeconds?: number;
      /** Delete only if the object is still this one (not another made since under the same name). */
      readonly uid?: string;
    }
  /**
   * Streams changes to the sender as WatchMessages, from just after
   * `resourceVersion` (a past revision not yet compacted) or from now; no gap
   * and no duplicate. The watch ends on `unwatch` or when the sender stops.
   */
  | {
      readonly type: 'watch';
      readonly watchId: string;
      readonly kind: Kind;
      readonly namespace?: string;
      readonly selector?: string;
      readonly fieldSelector?: string;
      readonly resourceVersion?: string;
    }
  | { readonly type: 'unwatch'; readonly watchId: string };

/** The API actor of master `id`: where every request above goes. */
export const apiPathOf = (id: string): string => `drover://${id}/user/api`;

/** One pod to bind: the pod named, if it is still the one with `uid`, goes to `nodeName`. */
export interface PodBinding {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly nodeName: string;
  /** The version the scheduler placed; absent: the latest. */
  readonly resourceVersion?: string;
}

export interface BindResult {
  /** One per binding, in order. */
  readonly results: readonly ({ readonly ok: true; readonly resourceVersion: string } | { readonly ok: false; readonly error: ApiFailure })[];
}

/** What `apply` did: made the object, changed it, or found it already as asked. */
export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  readonly action: ApplyAction;
  readonly object: ApiObject;
}

export interface ListResult {
  readonly items: readonly ApiObject[];
  /** The store revision the list was read at. */
  readonly resourceVersion: string;
  /** Pass back as `continue` for the next page; absent on the last page. */
  readonly continue?: string;
}

export interface ApiFailure {
  readonly code: ApiErrorCode;
  readonly message: string;
  readonly details: ApiErrorDetails;
}

export type ApiReply<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiFailure };
