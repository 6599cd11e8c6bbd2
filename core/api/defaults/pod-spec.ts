// Defaults of a pod spec, shared by Pod and by the templates of workloads.
// Every function here mutates the (already copied) object it is given and is
// idempotent: defaulting twice changes nothing the second time.

import type { Container, ImagePullPolicy, PodSpec, Probe } from '../types/pod.js';

export const DEFAULT_RESTART_POLICY = 'Always';
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_PROBE = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

/** Always for `:latest` and untagged images (they move), IfNotPresent for pinned tags and digests. */
export function defaultPullPolicy(image: string): ImagePullPolicy {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Probe): void {
  probe.initialDelaySeconds ??= DEFAULT_PROBE.initialDelaySeconds;
  probe.periodSeconds ??= DEFAULT_PROBE.periodSeconds;
  probe.timeoutSeconds ??= DEFAULT_PROBE.timeoutSeconds;
  probe.successThreshold ??= DEFAULT_PROBE.successThreshold;
  probe.failureThreshold ??= DEFAULT_PROBE.failureThreshold;
  if (probe.httpGet) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  for (const port of c.ports ?? []) port.protocol ??= 'TCP';
  // A limit without a request reserves the limit: what may be used is what the scheduler sets aside.
  const limits = c.resources?.limits;
  if (c.resources && limits && (limits.cpu !== undefined || limits.memory !== undefined)) {
    const requests = (c.resources.requests ??= {});
    if (limits.cpu !== undefined) requests.cpu ??= limits.cpu;
    if (limits.memory !== undefined) requests.memory ??= limits.memory;
  }
  if (c.livenessProbe) defaultProbe(c.livenessProbe);
  if (c.readinessProbe) defaultProbe(c.readinessProbe);
}

export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= DEFAULT_RESTART_POLICY;
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  for (const c of spec.containers) defaultContainer(c);
  for (const t of spec.tolerations ?? []) t.operator ??= 'Equal';
}
