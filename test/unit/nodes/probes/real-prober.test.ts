import * as http from 'node:http';
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WallClock } from '../../../../actors/index.js';
import { VirtualClock } from '../../../../actors/world/virtual-clock.js';
import { HollowProber, RealProber } from '../../../../nodes/probes/index.js';
import { FakeRuntime } from '../pod-worker/fake-runtime.js';

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('the real prober against servers on 127.0.0.1', () => {
  const clock = new WallClock();
  const prober = new RealProber({ runtime: new FakeRuntime(new VirtualClock()), clock });
  const sockets = new Set<net.Socket>();
  const seenHeaders: http.IncomingHttpHeaders[] = [];
  const tcp = net.createServer((s) => s.end());
  const web = http.createServer((req, res) => {
    seenHeaders.push(req.headers);
    const code = req.url === '/ok' ? 200 : req.url === '/moved' ? 302 : 500;
    res.writeHead(code, code === 302 ? { location: '/ok' } : {}).end('body');
  });
  // Accepts connections and never answers: for timeouts.
  const silent = net.createServer((s) => void sockets.add(s));
  let tcpPort = 0;
  let webPort = 0;
  let silentPort = 0;
  let closedPort = 0;

  beforeAll(async () => {
    [tcpPort, webPort, silentPort] = await Promise.all([listen(tcp), listen(web), listen(silent)]);
    const probe = net.createServer();
    closedPort = await listen(probe);
    await close(probe);
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all([close(tcp), close(web), close(silent)]);
  });

  it('TCP: success when a connection opens, failure when it is refused', async () => {
    expect(await prober.tcp('127.0.0.1', tcpPort, 1_000)).toEqual({ result: 'success', message: '' });
    const refused = await prober.tcp('127.0.0.1', closedPort, 1_000);
    expect(refused.result).toBe('failure');
    expect(refused.message).toContain(`dial tcp 127.0.0.1:${closedPort}: connect ECONNREFUSED`);
  });

  it('HTTP: 200-399 is success, anything else failure, with the headers sent', async () => {
    const base = `http://127.0.0.1:${webPort}`;
    expect(await prober.http(`${base}/ok`, [{ name: 'X-Check', value: 'yes' }], 1_000)).toEqual({ result: 'success', message: 'HTTP 200' });
    expect(seenHeaders.at(-1)).toMatchObject({ 'x-check': 'yes', 'user-agent': 'drover-probe/0.1' });
    expect(await prober.http(`${base}/moved`, [], 1_000)).toEqual({ result: 'success', message: 'HTTP 302' });
    expect(await prober.http(`${base}/broken`, [], 1_000)).toEqual({ result: 'failure', message: 'HTTP probe failed with statuscode: 500' });
    const refused = await prober.http(`http://127.0.0.1:${closedPort}/`, [], 1_000);
    expect(refused.result).toBe('failure');
    expect(refused.message).toContain('ECONNREFUSED');
  });

  it('HTTP: a server that never answers fails after the timeout, measured on the clock given', async () => {
    const started = clock.now();
    const r = await prober.http(`http://127.0.0.1:${silentPort}/`, [], 150);
    expect(r).toEqual({ result: 'failure', message: `GET http://127.0.0.1:${silentPort}/: timed out after 150 ms` });
    expect(clock.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('HTTP: a malformed URL is a failure, not a throw', async () => {
    expect((await prober.http('http://[bad', [], 100)).result).toBe('failure');
  });
});

describe('the real prober: exec through the runtime', () => {
  it('succeeds on exit 0 and fails with the exit code and output, or on a timeout', async () => {
    const runtime = new FakeRuntime(new VirtualClock());
    const prober = new RealProber({ runtime, clock: new WallClock() });
    const c = await runtime.start({ podUid: 'u', podNamespace: 'd', podName: 'p', containerName: 'web', attempt: 0, image: 'x', env: {}, ports: [], limits: {} });
    runtime.execHandler = (_info, command) =>
      command[0] === 'ok' ? { exitCode: 0, output: 'fine\n', timedOut: false } : command[0] === 'slow' ? { exitCode: -1, output: '', timedOut: true } : { exitCode: 3, output: 'not ready', timedOut: false };
    expect(await prober.exec(c, { command: ['ok'] }, 1_000)).toEqual({ result: 'success', message: 'fine' });
    expect(await prober.exec(c, { command: ['check'] }, 1_000)).toEqual({ result: 'failure', message: 'command ["check"] exited with 3: not ready' });
    expect(await prober.exec(c, { command: ['slow'] }, 1_000)).toEqual({ result: 'failure', message: 'command ["slow"] timed out after 1000 ms' });
    runtime.exit(c.id, 0);
    const gone = await prober.exec(c, { command: ['ok'] }, 1_000);
    expect(gone.result).toBe('failure');
    expect(gone.message).toContain('not running');
  });
});

describe('the hollow prober', () => {
  it('passes everything', async () => {
    const p = new HollowProber();
    expect(await p.tcp('127.0.0.1', 1, 10)).toEqual({ result: 'success', message: '' });
    expect((await p.http('http://x/', [], 10)).result).toBe('success');
  });
});
