import type { ExecAction, HttpHeader } from '../../core/api/index.js';
import type { ContainerInfo } from '../runtime/index.js';
import { probeSuccess, type ProbeOutcome, type Prober } from './types.js';

/**
 * The prober of hollow nodes, whose containers do not run: every probe
 * passes at once, so hollow pods become ready as real ones would.
 */
export class HollowProber implements Prober {
  exec(_container: ContainerInfo, _action: ExecAction, _timeoutMs: number): Promise<ProbeOutcome> {
    return Promise.resolve(probeSuccess());
  }

  tcp(_host: string, _port: number, _timeoutMs: number): Promise<ProbeOutcome> {
    return Promise.resolve(probeSuccess());
  }

  http(_url: string, _headers: readonly HttpHeader[], _timeoutMs: number): Promise<ProbeOutcome> {
    return Promise.resolve(probeSuccess());
  }
}
