// Defaults on create: the server-owned metadata, the namespace, and the
// defaults of the kind's content.

import type { ApiObject } from '../kinds.js';
import { kindInfo } from '../kinds.js';
import type { Timestamp } from '../types/meta.js';
import { defaultContent } from './spec.js';

export const DEFAULT_NAMESPACE = 'default';

/** What create-time defaults need from the caller, who owns the clock and the randomness. */
export interface CreateContext {
  /** The creation time (RFC 3339, UTC). */
  readonly nowIso: Timestamp;
  /** The new object's uid, unique in time and space (e.g. a UUID from the context's random source). */
  readonly uid: string;
}

/**
 * Returns a copy of `obj` with the defaults of a create:
 * - metadata: uid and creationTimestamp from `ctx`, generation 1; any
 *   resourceVersion and deletionTimestamp the author sent are dropped (the
 *   store sets the first, deletion the second);
 * - metadata.namespace `default` for namespaced kinds that lack one (an Event
 *   defaults to its involved object's namespace);
 * - the kind's content: Pod restartPolicy Always, terminationGracePeriodSeconds
 *   30, ports TCP, probes every 10 s (timeout 1 s, thresholds 1 / 3),
 *   requests from limits, imagePullPolicy by tag; replicas 1; Deployment
 *   RollingUpdate 25% / 25%, revisionHistoryLimit 10, progressDeadlineSeconds
 *   600; Service ClusterIP, targetPort = port; Event Normal, count 1, first
 *   and last timestamps now;
 * - status: Pod phase Pending, Namespace phase Active, when absent.
 * `obj` should have passed `validate(obj, { beforeDefaults: true })`.
 */
export function applyDefaults<T extends ApiObject>(obj: T, ctx: CreateContext): T {
  const out = structuredClone(obj);
  const meta = out.metadata;
  meta.uid = ctx.uid;
  meta.creationTimestamp = ctx.nowIso;
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (kindInfo(out.kind).namespaced && meta.namespace === undefined) {
    meta.namespace = out.kind === 'Event' ? (out.involvedObject.namespace ?? DEFAULT_NAMESPACE) : DEFAULT_NAMESPACE;
  }
  defaultContent(out);
  switch (out.kind) {
    case 'Pod':
      out.status ??= { phase: 'Pending' };
      break;
    case 'Namespace':
      out.status ??= { phase: 'Active' };
      break;
    case 'Event':
      out.firstTimestamp ??= ctx.nowIso;
      out.lastTimestamp ??= ctx.nowIso;
      break;
    default:
      break;
  }
  return out;
}
