// The prober of real nodes: exec through the container runtime, TCP and HTTP
// from the node itself. An adapter at the edge (sockets), so it holds no
// probe logic; its timeouts run on the Clock it is given, never on host
// timers, so the determinism rule holds here too.

import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Clock } from '../../actors/index.js';
import type { ExecAction, HttpHeader } from '../../core/api/index.js';
import type { ContainerInfo, ContainerRuntime } from '../runtime/index.js';
import { probeFailure, probeSuccess, type ProbeOutcome, type Prober } from './types.js';

export interface RealProberOptions {
  /** Runs exec probes (only `exec` is used). */
  readonly runtime: Pick<ContainerRuntime, 'exec'>;
  /** Times out TCP and HTTP probes. */
  readonly clock: Clock;
  /** Sent as User-Agent unless the probe sets one. Default `drover-probe/0.1`. */
  readonly userAgent?: string;
}

/** Bytes of an exec probe's output kept in its message. */
const MESSAGE_OUTPUT_MAX = 512;

/** Probes through the runtime (exec) and the node's network stack (TCP, HTTP). */
export class RealProber implements Prober {
  private readonly userAgent: string;

  constructor(private readonly options: RealProberOptions) {
    this.userAgent = options.userAgent ?? 'drover-probe/0.1';
  }

  async exec(container: ContainerInfo, action: ExecAction, timeoutMs: number): Promise<ProbeOutcome> {
    try {
      const r = await this.options.runtime.exec(container.id, action.command, timeoutMs);
      const output = r.output.trim().slice(0, MESSAGE_OUTPUT_MAX);
      if (r.timedOut) return probeFailure(`command ${JSON.stringify(action.command)} timed out after ${timeoutMs} ms`);
      if (r.exitCode !== 0) return probeFailure(`command ${JSON.stringify(action.command)} exited with ${r.exitCode}${output === '' ? '' : `: ${output}`}`);
      return probeSuccess(output);
    } catch (e) {
      return probeFailure(e instanceof Error ? e.message : String(e));
    }
  }

  tcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
    return new Promise((resolve) => {
      const where = `dial tcp ${host}:${port}`;
      const socket = net.connect({ host, port });
      const finish = this.once(timeoutMs, `${where}: timed out after ${timeoutMs} ms`, (outcome) => {
        socket.destroy();
        resolve(outcome);
      });
      socket.once('connect', () => finish(probeSuccess()));
      socket.on('error', (e) => finish(probeFailure(`${where}: ${e.message}`)));
    });
  }

  http(url: string, headers: readonly HttpHeader[], timeoutMs: number): Promise<ProbeOutcome> {
    return new Promise((resolve) => {
      const sent: Record<string, string> = { 'user-agent': this.userAgent, accept: '*/*' };
      for (const h of headers) sent[h.name.toLowerCase()] = h.value;
      const secure = url.startsWith('https:');
      // No keep-alive agent: a probe's socket must not outlive the probe. HTTPS
      // skips certificate checks, as Kubernetes probes do.
      const options: https.RequestOptions = { headers: sent, agent: false, ...(secure ? { rejectUnauthorized: false } : {}) };
      let request: http.ClientRequest | undefined;
      const finish = this.once(timeoutMs, `GET ${url}: timed out after ${timeoutMs} ms`, (outcome) => {
        request?.destroy();
        resolve(outcome);
      });
      try {
        request = (secure ? https : http).get(url, options, (res) => {
          const code = res.statusCode ?? 0;
          res.resume();
          finish(code >= 200 && code < 400 ? probeSuccess(`HTTP ${code}`) : probeFailure(`HTTP probe failed with statuscode: ${code}`));
        });
        request.on('error', (e) => finish(probeFailure(`GET ${url}: ${e.message}`)));
      } catch (e) {
        // A malformed URL throws synchronously.
        finish(probeFailure(`GET ${url}: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  /** A settle-once callback that settles with a timeout failure after `timeoutMs`. */
  private once(timeoutMs: number, timeoutMessage: string, settle: (o: ProbeOutcome) => void): (o: ProbeOutcome) => void {
    const clock = this.options.clock;
    let done = false;
    const finish = (o: ProbeOutcome) => {
      if (done) return;
      done = true;
      clock.cancelTimer(timer);
      settle(o);
    };
    const timer = clock.setTimer(timeoutMs, () => finish(probeFailure(timeoutMessage)));
    return finish;
  }
}
