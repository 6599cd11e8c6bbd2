// What a probe of a pod spec checks, resolved against the running container:
// port names become numbers, container ports become the host ports the
// runtime published them on. Then `runProbe` hands the target to a Prober.

import type { Container, ExecAction, HttpHeader, IntOrString, Probe } from '../../core/api/index.js';
import type { ContainerInfo } from '../runtime/index.js';
import { probeFailure, type ProbeOutcome, type Prober } from './types.js';

/** A probe ready to run, or why it cannot be. */
export type ProbeTarget =
  | { readonly type: 'exec'; readonly action: ExecAction }
  | { readonly type: 'tcp'; readonly host: string; readonly port: number }
  | { readonly type: 'http'; readonly url: string; readonly headers: readonly HttpHeader[] }
  /** The probe names a port the container does not have, or has no handler: it fails every time. */
  | { readonly type: 'invalid'; readonly message: string };

/**
 * The container port a probe's `port` means: a number as is, a name looked up
 * in the container's ports. Undefined when the name is not one of them.
 */
export function containerPortOf(port: IntOrString, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/**
 * Where to connect for a container port: on the pod's address the runtime's
 * published host port when it assigned one (the process runtime does), else
 * the container port itself. A probe with an explicit host connects there
 * with the container port unchanged.
 */
export function probeAddress(
  port: IntOrString,
  host: string | undefined,
  container: Container,
  info: ContainerInfo,
  podIP: string,
): { host: string; port: number } | string {
  const containerPort = containerPortOf(port, container);
  if (containerPort === undefined) return `port ${String(port)} is not a named port of container ${container.name}`;
  if (host !== undefined) return { host, port: containerPort };
  return { host: podIP, port: info.hostPorts?.[containerPort] ?? containerPort };
}

/** Resolves a probe of `container` (its spec) against its running attempt `info`. */
export function probeTarget(probe: Probe, container: Container, info: ContainerInfo, podIP: string): ProbeTarget {
  if (probe.exec !== undefined) return { type: 'exec', action: probe.exec };
  if (probe.tcpSocket !== undefined) {
    const at = probeAddress(probe.tcpSocket.port, probe.tcpSocket.host, container, info, podIP);
    return typeof at === 'string' ? { type: 'invalid', message: at } : { type: 'tcp', ...at };
  }
  if (probe.httpGet !== undefined) {
    const get = probe.httpGet;
    const at = probeAddress(get.port, get.host, container, info, podIP);
    if (typeof at === 'string') return { type: 'invalid', message: at };
    const scheme = get.scheme === 'HTTPS' ? 'https' : 'http';
    const host = at.host.includes(':') ? `[${at.host}]` : at.host;
    const path = get.path === undefined || get.path === '' ? '/' : get.path.startsWith('/') ? get.path : `/${get.path}`;
    return { type: 'http', url: `${scheme}://${host}:${at.port}${path}`, headers: get.httpHeaders ?? [] };
  }
  return { type: 'invalid', message: 'the probe has no exec, tcpSocket or httpGet handler' };
}

/** Runs a resolved probe. Never rejects: a prober that throws counts as a failure. */
export async function runProbe(prober: Prober, target: ProbeTarget, info: ContainerInfo, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    switch (target.type) {
      case 'exec':
        return await prober.exec(info, target.action, timeoutMs);
      case 'tcp':
        return await prober.tcp(target.host, target.port, timeoutMs);
      case 'http':
        return await prober.http(target.url, target.headers, timeoutMs);
      case 'invalid':
        return probeFailure(target.message);
    }
  } catch (e) {
    return probeFailure(e instanceof Error ? e.message : String(e));
  }
}
