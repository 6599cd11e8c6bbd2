// Event: a report of something that happened to an object, for people.

import type { ApiVersion, ObjectMeta, ObjectReference, Timestamp } from './meta.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  /** E.g. scheduler, replicaset-controller, node-agent. */
  component?: string;
  /** The node, for events from a node agent. */
  host?: string;
}

/**
 * As in Kubernetes, an Event's fields sit at the top level (no spec). Repeats
 * of the same event bump `count` and `lastTimestamp` instead of adding events.
 */
export interface Event {
  apiVersion: ApiVersion;
  kind: 'Event';
  /** Lives in the namespace of the involved object (`default` for cluster-scoped ones). */
  metadata: ObjectMeta;
  involvedObject: ObjectReference;
  /** CamelCase, short, for machines: Scheduled, FailedScheduling, Killing, BackOff. */
  reason?: string;
  /** A sentence for people. */
  message?: string;
  /** Defaults to Normal. */
  type?: EventType;
  /** How many times it happened. Defaults to 1. */
  count?: number;
  /** Defaults to the creation time. */
  firstTimestamp?: Timestamp;
  /** Defaults to the creation time. */
  lastTimestamp?: Timestamp;
  source?: EventSource;
}
