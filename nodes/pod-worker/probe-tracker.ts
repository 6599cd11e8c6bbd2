import type { Pod } from '../../core/api/index.js';
import { initialProbeState, probeSettings } from '../probes/index.js';
import type { ContainerInfo } from '../runtime/index.js';
import type { ContainerProbes } from './types.js';

/**
 * The probe states for the pod's running containers: kept for attempts that
 * had them, fresh for attempts that just started (a new attempt starts its
 * probes over, initial delay included), dropped for attempts no longer
 * running. Containers without probes have no entry.
 */
export function trackProbes(
  pod: Pod,
  containers: readonly ContainerInfo[],
  previous: ReadonlyMap<string, ContainerProbes>,
  nowMs: number,
): Map<string, ContainerProbes> {
  const out = new Map<string, ContainerProbes>();
  for (const c of containers) {
    if (c.state !== 'running') continue;
    const kept = previous.get(c.id);
    if (kept !== undefined) {
      out.set(c.id, kept);
      continue;
    }
    const spec = pod.spec.containers.find((s) => s.name === c.containerName);
    if (spec === undefined || (spec.livenessProbe === undefined && spec.readinessProbe === undefined)) continue;
    const startedAtMs = c.startedAtMs ?? nowMs;
    out.set(c.id, {
      containerName: c.containerName,
      ...(spec.livenessProbe !== undefined ? { liveness: initialProbeState('liveness', probeSettings(spec.livenessProbe, 'liveness'), startedAtMs) } : {}),
      ...(spec.readinessProbe !== undefined ? { readiness: initialProbeState('readiness', probeSettings(spec.readinessProbe, 'readiness'), startedAtMs) } : {}),
    });
  }
  return out;
}
