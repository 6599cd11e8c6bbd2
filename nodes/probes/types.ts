import type { ExecAction, HttpHeader } from '../../core/api/index.js';
import type { ContainerInfo } from '../runtime/index.js';

/** The verdict of one probe run. */
export type ProbeResult = 'success' | 'failure';

/** What one probe run found: the verdict and a line for people (events, logs). */
export interface ProbeOutcome {
  readonly result: ProbeResult;
  /** Why it failed (`HTTP probe failed with statuscode: 500`), or what it saw on success. */
  readonly message: string;
}

/**
 * Runs one check of a container's health. Implementations never reject: a
 * check that cannot be made (a refused connection, a timeout, a runtime that
 * does not answer) is a `failure` outcome with the reason as its message.
 */
export interface Prober {
  /** Runs `action.command` in the container; exit status 0 is success. */
  exec(container: ContainerInfo, action: ExecAction, timeoutMs: number): Promise<ProbeOutcome>;
  /** Opens a TCP connection; success once it is established. */
  tcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome>;
  /** Sends a GET; a status in 200-399 is success. */
  http(url: string, headers: readonly HttpHeader[], timeoutMs: number): Promise<ProbeOutcome>;
}

/** A success outcome. */
export function probeSuccess(message = ''): ProbeOutcome {
  return { result: 'success', message };
}

/** A failure outcome. */
export function probeFailure(message: string): ProbeOutcome {
  return { result: 'failure', message };
}
