import { describe, expect, it } from 'vitest';
import type { Container } from '../../../../core/api/index.js';
import { probeFailure, probeSuccess, probeTarget, runProbe, type Prober } from '../../../../nodes/probes/index.js';
import type { ContainerInfo } from '../../../../nodes/runtime/index.js';

const web: Container = { name: 'web', image: 'web', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9000 }] };
const running: ContainerInfo = {
  id: 'c1',
  containerID: 'process://c1',
  podUid: 'u',
  podNamespace: 'default',
  podName: 'p',
  containerName: 'web',
  attempt: 0,
  image: 'web',
  state: 'running',
  hostPorts: { 8080: 31_080 },
};

describe('resolving a probe against the running container', () => {
  it('maps a named port to its container port, and that to the published host port on the pod IP', () => {
    expect(probeTarget({ tcpSocket: { port: 'http' } }, web, running, '127.0.0.1')).toEqual({ type: 'tcp', host: '127.0.0.1', port: 31_080 });
  });

  it('uses the container port when the runtime published none', () => {
    expect(probeTarget({ tcpSocket: { port: 9000 } }, web, running, '127.0.0.1')).toEqual({ type: 'tcp', host: '127.0.0.1', port: 9000 });
  });

  it('connects to an explicit host on the container port unchanged', () => {
    expect(probeTarget({ tcpSocket: { port: 'http', host: '10.1.2.3' } }, web, running, '127.0.0.1')).toEqual({ type: 'tcp', host: '10.1.2.3', port: 8080 });
  });

  it('builds the HTTP URL with scheme, path and headers', () => {
    const headers = [{ name: 'X-Probe', value: '1' }];
    expect(probeTarget({ httpGet: { port: 'http', path: 'healthz', httpHeaders: headers } }, web, running, '127.0.0.1')).toEqual({
      type: 'http',
      url: 'http://127.0.0.1:31080/healthz',
      headers,
    });
    expect(probeTarget({ httpGet: { port: 9000, scheme: 'HTTPS', host: '::1' } }, web, running, '127.0.0.1')).toEqual({
      type: 'http',
      url: 'https://[::1]:9000/',
      headers: [],
    });
  });

  it('cannot run a probe naming a port the container does not have', () => {
    const target = probeTarget({ httpGet: { port: 'metrics' } }, web, running, '127.0.0.1');
    expect(target).toEqual({ type: 'invalid', message: 'port metrics is not a named port of container web' });
  });
});

describe('running a resolved probe', () => {
  const calls: string[] = [];
  const prober: Prober = {
    exec: (c, a, t) => (calls.push(`exec ${c.id} ${a.command.join(' ')} ${t}`), Promise.resolve(probeSuccess('ok'))),
    tcp: (h, p, t) => (calls.push(`tcp ${h}:${p} ${t}`), Promise.resolve(probeFailure('refused'))),
    http: () => Promise.reject(new Error('boom')),
  };

  it('hands each kind to the prober with the timeout', async () => {
    expect(await runProbe(prober, { type: 'exec', action: { command: ['cat', '/ready'] } }, running, 1_000)).toEqual(probeSuccess('ok'));
    expect(await runProbe(prober, { type: 'tcp', host: '127.0.0.1', port: 1 }, running, 2_000)).toEqual(probeFailure('refused'));
    expect(calls).toEqual(['exec c1 cat /ready 1000', 'tcp 127.0.0.1:1 2000']);
  });

  it('turns a throwing prober and an invalid target into failures', async () => {
    expect(await runProbe(prober, { type: 'http', url: 'http://x/', headers: [] }, running, 1_000)).toEqual(probeFailure('boom'));
    expect(await runProbe(prober, { type: 'invalid', message: 'no port' }, running, 1_000)).toEqual(probeFailure('no port'));
  });
});
