import { request } from 'node:http';
import Docker from 'dockerode';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WallClock } from '../../actors/index.js';
import {
  DockerRuntime,
  LABEL_NODE,
  LABEL_POD_UID,
  RuntimeError,
  type ContainerConfig,
  type ContainerExit,
  type ContainerRuntime,
} from '../../nodes/runtime/index.js';
import { withTimeout } from '../support/async.js';
import { prepareEngine } from './fixtures/docker-engine.js';
import { collect, exitOf, recordExits, until as untilAt } from './fixtures/runtime-helpers.js';

// The docker runtime against the local engine, with the image that
// scripts/ensure-docker.sh builds (drover/busybox:1: no registry is reachable
// here). Where no engine can run, every test is skipped and the reason is
// printed. Every container made under this run's node names is removed in
// afterEach, whatever happened.
//
// The engine set-up runs once, as this file loads (it decides the skipIf
// below), with a generous limit: a fresh machine installs docker.io first.

const IMAGE = 'drover/busybox:1';

const engine = await prepareEngine(IMAGE);
if (engine.type === 'absent') {
  console.log(`runtime-docker: skipped: no usable Docker engine here: ${engine.why}`);
}

const runTag = `t${process.pid}x${Date.now().toString(36)}`;
const nodeA = `${runTag}-a`;
const nodeB = `${runTag}-b`;
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => untilAt(what, probe, timeoutMs, 50);

const runtimes: ContainerRuntime[] = [];

/** Removes every container of this run's nodes, by label, straight through the engine. */
async function removeOurContainers(): Promise<void> {
  const docker = new Docker();
  for (const node of [nodeA, nodeB]) {
    const found = await docker.listContainers({ all: true, filters: { label: [`${LABEL_NODE}=${node}`] } });
    await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  }
}

afterEach(async () => {
  if (engine.type !== 'ready') return;
  await removeOurContainers();
});

afterAll(async () => {
  for (const r of runtimes) await r.close();
  if (engine.type === 'ready') await removeOurContainers();
});

async function runtimeOf(nodeName: string): Promise<DockerRuntime> {
  const r = await DockerRuntime.connect({ nodeName, clock: new WallClock() });
  runtimes.push(r);
  return r;
}

let uidCounter = 0;
function config(overrides: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    // Docker names carry the uid's first 8 characters: they must differ between pods.
    podUid: `${(++uidCounter).toString(16).padStart(8, '0')}-${process.pid}`,
    podNamespace: 'default',
    podName: 'web',
    containerName: 'main',
    attempt: 0,
    image: IMAGE,
    command: ['sleep', '300'],
    env: {},
    ports: [],
    limits: {},
    ...overrides,
  };
}

const sh = (script: string, overrides: Partial<ContainerConfig> = {}): ContainerConfig => config({ command: ['sh', '-c', script], ...overrides });

/** Every exit `runtime` tells from now on (an exit may come before start() has returned its id). */

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe.skipIf(engine.type !== 'ready')('docker runtime', () => {
  it('starts a busybox container named and labelled for its pod and node, and lists only its node', async () => {
    const a = await runtimeOf(nodeA);
    const b = await runtimeOf(nodeB);
    expect(a.version).toMatch(/^docker:\/\/\d/);
    const c = config({ podNamespace: 'shop', podName: 'cart', containerName: 'app', attempt: 1 });
    const info = await a.start(c);
    expect(info).toMatchObject({ podUid: c.podUid, podNamespace: 'shop', podName: 'cart', containerName: 'app', attempt: 1, image: IMAGE, state: 'running' });
    expect(info.containerID).toBe(`docker://${info.id}`);

    const raw = await new Docker().getContainer(info.id).inspect();
    expect(raw.Name).toBe(`/drover_${nodeA}_shop_cart_app_1_${c.podUid.slice(0, 8)}`);
    expect(raw.Config.Labels).toMatchObject({
      [LABEL_POD_UID]: c.podUid,
      'drover.pod.namespace': 'shop',
      'drover.pod.name': 'cart',
      'drover.container.name': 'app',
      'drover.container.attempt': '1',
      [LABEL_NODE]: nodeA,
    });

    expect((await a.list()).map((i) => i.id)).toEqual([info.id]);
    // Another node's agent on the same engine neither sees nor touches it.
    expect(await b.list()).toEqual([]);
    expect(await b.inspect(info.id)).toBeUndefined();
    await b.stop(info.id, 0);
    expect((await a.inspect(info.id))?.state).toBe('running');
    await expect(a.start(c)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('publishes ports on 127.0.0.1 only, reports the host port, and serves through it (busybox httpd)', async () => {
    const a = await runtimeOf(nodeA);
    const info = await a.start(
      sh('mkdir -p /www && echo "hello from $DROVER_PORT_8080" > /www/index.html && exec httpd -f -p "$DROVER_PORT_8080" -h /www', {
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
      }),
    );
    const port = info.hostPorts?.[8080];
    expect(port).toBeGreaterThan(0);
    const bindings = (await new Docker().getContainer(info.id).inspect()).HostConfig.PortBindings as Record<string, { HostIp: string }[]>;
    expect(bindings['8080/tcp']?.[0]?.HostIp).toBe('127.0.0.1');
    const body = await until('httpd answers', () => httpGet(port!).catch(() => undefined));
    expect(body.trim()).toBe('hello from 8080');
  });

  it('sets the memory and CPU limits', async () => {
    const a = await runtimeOf(nodeA);
    const info = await a.start(config({ limits: { memoryBytes: 64 * 1024 * 1024, cpuMillis: 500 } }));
    const raw = await new Docker().getContainer(info.id).inspect();
    expect(raw.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(raw.HostConfig.NanoCpus).toBe(500_000_000);
  });

  it('stops with a grace period: SIGKILL after it for a process that ignores SIGTERM, early for one that exits', async () => {
    const a = await runtimeOf(nodeA);
    // PID 1 in a container ignores SIGTERM unless it handles it.
    const stubborn = await a.start(sh('while :; do sleep 0.1; done'));
    const polite = await a.start(sh("trap 'exit 0' TERM; while :; do sleep 0.1; done"));
    let t0 = Date.now();
    await a.stop(stubborn.id, 1_000);
    const stubbornMs = Date.now() - t0;
    expect(stubbornMs).toBeGreaterThanOrEqual(900);
    expect(await a.inspect(stubborn.id)).toMatchObject({ state: 'exited', exitCode: 137 });
    t0 = Date.now();
    // Far less than the grace: it ended on SIGTERM.
    await a.stop(polite.id, 60_000);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await a.inspect(polite.id)).toMatchObject({ state: 'exited', exitCode: 0 });
  });

  it('tells exits from the engine events, only for its own node', async () => {
    const a = await runtimeOf(nodeA);
    const b = await runtimeOf(nodeB);
    const seenByA = recordExits(a);
    const seenByB = recordExits(b);
    // Let both event streams connect before anything dies.
    await new Promise((r) => setTimeout(r, 300));
    const ca = sh('exit 3', { attempt: 4 });
    const idA = (await a.start(ca)).id;
    const idB = (await b.start(sh('exit 5'))).id;
    const ea = await exitOf(seenByA, idA);
    expect(ea).toMatchObject({ type: 'exited', id: idA, podUid: ca.podUid, containerName: 'main', attempt: 4, exitCode: 3 });
    expect(ea.finishedAtMs).toBeGreaterThan(0);
    expect((await exitOf(seenByB, idB)).exitCode).toBe(5);
    await new Promise((r) => setTimeout(r, 200));
    expect(seenByA.map((e) => e.id)).not.toContain(idB);
  });

  it('reads logs (stdout and stderr, tail) and follows them until closed', async () => {
    const a = await runtimeOf(nodeA);
    const done = await a.start(sh('echo out1; echo err1 >&2; echo out2'));
    await until('exited', async () => ((await a.inspect(done.id))?.state === 'exited' ? true : undefined));
    expect((await collect(a.logs(done.id))).sort()).toEqual(['err1', 'out1', 'out2']);
    expect(await collect(a.logs(done.id, { tailLines: 1 }))).toHaveLength(1);

    const ticking = await a.start(sh('i=0; while :; do i=$((i+1)); echo tick$i; sleep 0.1; done'));
    const it = a.logs(ticking.id, { follow: true })[Symbol.asyncIterator]();
    const seen: string[] = [];
    while (seen.length < 3) {
      const r = await withTimeout(it.next(), 10_000, 'next line');
      if (r.done === true) throw new Error('follow ended early');
      seen.push(r.value);
    }
    expect(seen).toEqual(['tick1', 'tick2', 'tick3']);
    await withTimeout(it.return!(), 2_000, 'return');
    expect((await it.next()).done).toBe(true);
  });

  it('execs a command in the container, with its exit code, output and timeout', async () => {
    const a = await runtimeOf(nodeA);
    const info = await a.start(config({ env: { WORD: 'ready' }, ports: [{ containerPort: 9090, protocol: 'TCP' }] }));
    const r = await a.exec(info.id, ['sh', '-c', 'echo $WORD $DROVER_PORT_9090; echo oops >&2; exit 2'], 10_000);
    expect(r.exitCode).toBe(2);
    expect(r.timedOut).toBe(false);
    expect(r.output).toContain('ready 9090');
    expect(r.output).toContain('oops');
    const slow = await a.exec(info.id, ['sleep', '10'], 300);
    expect(slow.timedOut).toBe(true);
  });

  it('refuses an image that is missing and cannot be pulled, and removes only exited containers', async () => {
    const a = await runtimeOf(nodeA);
    const missing = a.start(config({ image: 'drover/no-such-image:0' }));
    await expect(missing).rejects.toBeInstanceOf(RuntimeError);
    await expect(missing).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND', op: 'start' });

    const info = await a.start(config());
    await expect(a.remove(info.id)).rejects.toMatchObject({ code: 'STILL_RUNNING' });
    await a.stop(info.id, 0);
    await a.remove(info.id);
    expect(await a.inspect(info.id)).toBeUndefined();
    await a.remove(info.id); // gone already: nothing to do
  });
});
