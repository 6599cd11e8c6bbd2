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
      readonly limit?: number;
      /** The `continue` token of the previous page. */
      readonly continue?: string;
      readonly stale?: boolean;
    }
  | { readonly type: 'delete'; readonly kind: Kind; readonly namespace?: string; readonly name: string; readonly resourceVersion?: string }
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
      readonly resourceVersion?: string;
    }
  | { readonly type: 'unwatch'; readonly watchId: string };

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
