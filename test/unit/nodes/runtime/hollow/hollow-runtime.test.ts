import { describe, expect, it } from 'vitest';
import { HollowRuntime, type ContainerConfig, type ContainerExit } from '../../../../../nodes/runtime/index.js';
import { ManualClock } from '../manual-clock.js';

const config = (overrides: Partial<ContainerConfig> = {}): ContainerConfig => ({
  podUid: 'uid-1',
  podNamespace: 'default',
  podName: 'web',
  containerName: 'main',
  attempt: 0,
  image: 'drover/web:1',
  env: {},
  ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }, { containerPort: 81, protocol: 'TCP' }],
  limits: {},
  ...overrides,
});

describe('HollowRuntime', () => {
  it('starts containers at once with ids from a counter, and lists them', async () => {
    const clock = new ManualClock(5_000);
    const r = new HollowRuntime({ clock, idPrefix: 'n1-' });
    const a = await r.start(config());
    const b = await r.start(config({ containerName: 'side' }));
    expect([a.id, b.id]).toEqual(['n1-1', 'n1-2']);
    expect(a).toEqual({
      id: 'n1-1',
      containerID: 'hollow://n1-1',
      podUid: 'uid-1',
      podNamespace: 'default',
      podName: 'web',
      containerName: 'main',
      attempt: 0,
      image: 'drover/web:1',
      state: 'running',
      startedAtMs: 5_000,
      hostPorts: { 80: 8080 },
    });
    expect((await r.list()).map((i) => i.id)).toEqual(['n1-1', 'n1-2']);
    expect(await r.inspect('n1-9')).toBeUndefined();
    expect(clock.pending).toBe(0);
    // The same attempt twice is refused, as by the real runtimes.
    await expect(r.start(config())).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    // Two runtimes number the same way: runs are deterministic.
    expect((await new HollowRuntime({ idPrefix: 'n1-' }).start(config())).id).toBe('n1-1');
  });

  it('stop marks exited with code 0 and tells it; stopping again does nothing', async () => {
    const clock = new ManualClock(1_000);
    const r = new HollowRuntime({ clock });
    const exits: ContainerExit[] = [];
    const off = r.onExit((e) => exits.push(e));
    const { id } = await r.start(config({ attempt: 3 }));
    clock.advance(250);
    await r.stop(id, 30_000);
    await r.stop(id, 30_000);
    expect(exits).toEqual([{ type: 'exited', id, podUid: 'uid-1', containerName: 'main', attempt: 3, exitCode: 0, finishedAtMs: 1_250 }]);
    expect(await r.inspect(id)).toMatchObject({ state: 'exited', exitCode: 0, finishedAtMs: 1_250 });
    off();
    await r.stop('unknown', 0);
  });

  it('crash() makes a running container exit with the code and signal given', async () => {
    const r = new HollowRuntime();
    const exits: ContainerExit[] = [];
    r.onExit((e) => exits.push(e));
    const { id } = await r.start(config());
    expect(r.crash(id, 137, 9)).toBe(true);
    expect(r.crash(id, 1)).toBe(false);
    expect(r.crash('nope', 1)).toBe(false);
    expect(exits).toMatchObject([{ id, exitCode: 137, signal: 9, finishedAtMs: 0 }]);
    const info = await r.inspect(id);
    expect(info).toMatchObject({ state: 'exited', exitCode: 137, signal: 9 });
    // Without a clock there are no times.
    expect(info !== undefined && ('startedAtMs' in info || 'finishedAtMs' in info)).toBe(false);
  });

  it('exec answers 0 (or what the hook says) for a running container only; logs are empty', async () => {
    const r = new HollowRuntime({ execResult: (_c, cmd) => ({ exitCode: cmd[0] === 'fail' ? 1 : 0, output: cmd.join(' '), timedOut: false }) });
    const { id } = await r.start(config());
    expect(await r.exec(id, ['fail'], 1_000)).toEqual({ exitCode: 1, output: 'fail', timedOut: false });
    expect(await new HollowRuntime().start(config()).then((c) => c.id)).toBe('1');
    const lines: string[] = [];
    for await (const l of r.logs(id, { follow: true })) lines.push(l);
    expect(lines).toEqual([]);
    await expect(r.exec(id, [], 1_000)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await r.stop(id, 0);
    await expect(r.exec(id, ['true'], 1_000)).rejects.toMatchObject({ code: 'NOT_RUNNING' });
    await expect(r.exec('nope', ['true'], 1_000)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(r.logs('nope')[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('removes only exited containers, after which the attempt may start again', async () => {
    const r = new HollowRuntime();
    const { id } = await r.start(config());
    await expect(r.remove(id)).rejects.toMatchObject({ code: 'STILL_RUNNING', op: 'remove' });
    await r.stop(id, 0);
    await r.remove(id);
    await r.remove(id);
    expect(r.size).toBe(0);
    expect((await r.start(config())).id).toBe('2');
  });

  it('holds many containers cheaply', async () => {
    const r = new HollowRuntime();
    const shared = config();
    for (let i = 0; i < 20_000; i++) await r.start({ ...shared, attempt: i });
    expect(r.size).toBe(20_000);
    expect((await r.list()).length).toBe(20_000);
  });
});
