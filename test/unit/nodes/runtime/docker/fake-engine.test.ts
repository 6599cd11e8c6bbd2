import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { WallClock } from '../../../../../actors/index.js';
import { ExitWatcher } from '../../../../../nodes/runtime/docker/exit-watcher.js';
import { DockerRuntime, detectRuntime, labelsFor, type ContainerConfig, type ContainerExit } from '../../../../../nodes/runtime/index.js';

// A stand-in for the engine: an HTTP server on a unix socket answering the
// few requests under test (ping, version, events). No real engine needed.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fakeEngine(handler: Handler): Promise<{ socketPath: string; server: Server }> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-fake-engine-'));
  const socketPath = join(dir, 'docker.sock');
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });
  return { socketPath, server };
}

const config: ContainerConfig = {
  podUid: 'uid-1',
  podNamespace: 'default',
  podName: 'web',
  containerName: 'main',
  attempt: 0,
  image: 'x',
  env: {},
  ports: [],
  limits: {},
};

function dieEvent(id: string, exitCode: number, timeNano: number, node = 'node-1'): string {
  return `${JSON.stringify({
    Type: 'container',
    Action: 'die',
    Actor: { ID: id, Attributes: { ...labelsFor(node, config), exitCode: String(exitCode) } },
    time: Math.floor(timeNano / 1e9),
    timeNano,
  })}\n`;
}

async function until<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ExitWatcher against a fake engine', () => {
  it('reconnects when the stream drops, resumes from the last event, and tells a replayed event once', async () => {
    const t0 = 1_767_225_600_000_000_000;
    const requests: URLSearchParams[] = [];
    const { socketPath } = await fakeEngine((req, res) => {
      const url = new URL(req.url ?? '/', 'http://engine');
      if (!url.pathname.endsWith('/events')) return void res.writeHead(404).end();
      requests.push(url.searchParams);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (requests.length === 1) {
        // One exit split over two writes, another node's exit, then the stream drops.
        const line = dieEvent('c1', 3, t0);
        res.write(line.slice(0, 20));
        res.write(line.slice(20) + dieEvent('c9', 1, t0 + 1, 'node-2'));
        setTimeout(() => res.end(), 20);
      } else {
        // The replay since the last one repeats it, then something new.
        res.write(dieEvent('c1', 3, t0) + dieEvent('c2', 0, t0 + 5_000_000));
      }
    });
    const exits: ContainerExit[] = [];
    const watcher = new ExitWatcher({ docker: new Docker({ socketPath }), nodeName: 'node-1', clock: new WallClock(), reconnectMs: 20, onExit: (e) => exits.push(e) });
    cleanups.push(() => Promise.resolve(watcher.close()));
    watcher.start();
    await until(() => (exits.length >= 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 50));
    expect(exits.map((e) => [e.id, e.exitCode])).toEqual([
      ['c1', 3],
      ['c2', 0],
    ]);
    expect(requests.length).toBe(2);
    const filters = JSON.parse(requests[0]?.get('filters') ?? '{}') as Record<string, string[]>;
    expect(filters).toEqual({ type: ['container'], event: ['die'], label: ['drover.node=node-1'] });
    // Resumed a second before the last event seen.
    expect(Number(requests[1]?.get('since'))).toBe(Math.floor(t0 / 1e9) - 1);
  });

  it('keeps trying while the engine is away, and stops on close', async () => {
    let attempts = 0;
    const { socketPath } = await fakeEngine((_req, res) => {
      attempts++;
      res.writeHead(500).end('{"message":"not now"}');
    });
    const watcher = new ExitWatcher({ docker: new Docker({ socketPath }), nodeName: 'n', clock: new WallClock(), reconnectMs: 10, onExit: () => undefined });
    watcher.start();
    await until(() => (attempts >= 3 ? true : undefined));
    watcher.close();
    const seen = attempts;
    await new Promise((r) => setTimeout(r, 60));
    expect(attempts).toBeLessThanOrEqual(seen + 1);
  });
});

describe('detectRuntime', () => {
  it('picks docker when the engine answers, with its version', async () => {
    const { socketPath } = await fakeEngine((req, res) => {
      const path = new URL(req.url ?? '/', 'http://engine').pathname;
      if (path.endsWith('/_ping')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      if (path.endsWith('/version')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"Version":"99.1.0"}');
      res.writeHead(404).end();
    });
    const { runtime, reason } = await detectRuntime({ nodeName: 'n', clock: new WallClock(), processStateDir: '/nonexistent', dockerSocketPath: socketPath });
    cleanups.push(() => runtime.close());
    expect(runtime.name).toBe('docker');
    expect(runtime.version).toBe('docker://99.1.0');
    expect(reason).toContain(socketPath);
  });

  it('falls back to processes when there is no socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-detect-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const { runtime, reason } = await detectRuntime({ nodeName: 'n', clock: new WallClock(), processStateDir: dir, dockerSocketPath: join(dir, 'none.sock') });
    cleanups.push(() => runtime.close());
    expect(runtime.name).toBe('process');
    expect(reason).toMatch(/no docker engine/);
    expect(reason).toContain(dir);
  });

  it('falls back within the ping timeout when the engine hangs', async () => {
    const { socketPath } = await fakeEngine(() => {
      // never answers
    });
    const t0 = Date.now();
    const { runtime, reason } = await detectRuntime({ nodeName: 'n', clock: new WallClock(), processStateDir: '/tmp/x', dockerSocketPath: socketPath, pingTimeoutMs: 200 });
    cleanups.push(() => runtime.close());
    expect(runtime.name).toBe('process');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(reason).toContain('did not answer within 200 ms');
  });

  it('DockerRuntime.connect rejects with ENGINE_UNAVAILABLE', async () => {
    await expect(DockerRuntime.connect({ nodeName: 'n', clock: new WallClock(), socketPath: '/nonexistent/docker.sock' })).rejects.toMatchObject({
      name: 'RuntimeError',
      code: 'ENGINE_UNAVAILABLE',
      op: 'ping',
    });
  });
});
