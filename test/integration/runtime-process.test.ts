import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WallClock } from '../../actors/index.js';
import { ProcessRuntime, RuntimeError, type ContainerConfig, type ContainerExit, type ContainerRuntime } from '../../nodes/runtime/index.js';
import { withTimeout } from '../support/async.js';
import { Cleanup } from '../support/cleanup.js';
import { collect, exitOf, recordExits, until as untilAt } from './fixtures/runtime-helpers.js';

const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> => untilAt(what, probe, timeoutMs, 25);

// The process runtime against real processes: sh, sleep and node. Every
// container a test starts is stopped in afterEach (through the runtimes it
// made, and by pid from the state files as a last resort).

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const cleanup = new Cleanup();
const stateDirs: string[] = [];

afterEach(async () => {
  await cleanup.run();
});

afterAll(async () => {
  // Last resort: any process a state file names is killed, then the dirs go.
  for (const dir of stateDirs) {
    for (const pid of await pidsIn(dir)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
});

/** The pids of state files whose process still runs (same start time), exited or not on record. */
async function pidsIn(stateDir: string): Promise<number[]> {
  const dir = join(stateDir, 'containers');
  if (!existsSync(dir)) return [];
  const pids: number[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    const state = JSON.parse(await readFile(join(dir, name), 'utf8')) as { pid: number; pidStartTime: string };
    try {
      const stat = readFileSync(`/proc/${state.pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] === state.pidStartTime) pids.push(state.pid);
    } catch {
      // gone
    }
  }
  return pids;
}

async function newStateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-process-runtime-'));
  stateDirs.push(dir);
  return dir;
}

/** A runtime over `stateDir`; cleanup stops what it runs and closes it. */
function runtimeOver(stateDir: string, options: { adoptedPollMs?: number; logPollMs?: number } = {}): ProcessRuntime {
  const runtime = new ProcessRuntime({ stateDir, clock: new WallClock(), ...options });
  cleanup.add('process runtime', async () => {
    for (const c of await runtime.list()) if (c.state === 'running') await runtime.stop(c.id, 0);
    await runtime.close();
  });
  return runtime;
}

async function newRuntime(options: { adoptedPollMs?: number; logPollMs?: number } = {}): Promise<ProcessRuntime> {
  return runtimeOver(await newStateDir(), options);
}

let uidCounter = 0;
function config(overrides: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    podUid: `uid-${process.pid}-${++uidCounter}`,
    podNamespace: 'default',
    podName: 'web',
    containerName: 'main',
    attempt: 0,
    image: 'sleep',
    args: ['30'],
    env: {},
    ports: [],
    limits: {},
    ...overrides,
  };
}

const sh = (script: string, overrides: Partial<ContainerConfig> = {}): ContainerConfig => config({ image: 'sh', args: ['-c', script], ...overrides });

/** Resolves with the first exit `runtime` tells for `id`. */
/** Every exit `runtime` tells from now on (an exit may come before start() has returned its id). */

/** True while `pid` runs; a zombie (ended, not yet reaped by whoever inherited it) has ended. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) Z /s.test(stat);
  } catch {
    return false;
  }
}

async function pidOf(stateDir: string, id: string): Promise<number> {
  const state = JSON.parse(await readFile(join(stateDir, 'containers', `${id}.json`), 'utf8')) as { pid: number };
  return state.pid;
}

describe('process runtime: start, list, exits', () => {
  it('starts a container, lists it with its pod, and reports it running', async () => {
    const runtime = await newRuntime();
    const c = config({ podNamespace: 'shop', podName: 'cart', containerName: 'app', attempt: 2 });
    const info = await runtime.start(c);
    expect(info).toMatchObject({
      podUid: c.podUid,
      podNamespace: 'shop',
      podName: 'cart',
      containerName: 'app',
      attempt: 2,
      image: 'sleep',
      state: 'running',
    });
    expect(info.containerID).toBe(`process://${info.id}`);
    expect(info.startedAtMs).toBeGreaterThan(0);
    const listed = await runtime.list();
    expect(listed.map((i) => i.id)).toEqual([info.id]);
    expect(await runtime.inspect(info.id)).toEqual(info);
    expect(runtime.version).toMatch(/^process:\/\/drover-/);
  });

  it('reports the exit code of a process that exits, with its end time', async () => {
    const runtime = await newRuntime();
    const exits = recordExits(runtime);
    const { id } = await runtime.start(sh('exit 3'));
    const e = await exitOf(exits, id);
    expect(e).toMatchObject({ type: 'exited', id, exitCode: 3, attempt: 0, containerName: 'main' });
    expect(e.signal).toBeUndefined();
    const info = await runtime.inspect(id);
    expect(info).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(info?.finishedAtMs).toBeGreaterThanOrEqual(info?.startedAtMs ?? Infinity);
  });

  it('reports the signal that killed a process, as 128 + signal', async () => {
    const runtime = await newRuntime();
    const exits = recordExits(runtime);
    const { id } = await runtime.start(sh('kill -KILL $$'));
    expect(await exitOf(exits, id)).toMatchObject({ exitCode: 137, signal: 9 });
    expect(await runtime.inspect(id)).toMatchObject({ state: 'exited', exitCode: 137, signal: 9 });
  });

  it('runs command ++ args when a command is given, in the working dir asked for, with the env and PATH', async () => {
    const runtime = await newRuntime();
    const dir = await newStateDir();
    const info = await runtime.start(
      config({ image: 'ignored-image', command: ['sh', '-c'], args: ['echo "$GREETING from $(pwd)"; exit 0'], env: { GREETING: 'hi' }, workingDir: dir }),
    );
    await until('exit', async () => ((await runtime.inspect(info.id))?.state === 'exited' ? true : undefined));
    expect(await collect(runtime.logs(info.id))).toEqual([`hi from ${dir}`]);
  });

  it('refuses a program that is not on PATH, and a second start of the same attempt', async () => {
    const runtime = await newRuntime();
    await expect(runtime.start(config({ image: 'no-such-program-drover' }))).rejects.toMatchObject({ name: 'RuntimeError', code: 'IMAGE_NOT_FOUND', op: 'start' });
    const c = config();
    await runtime.start(c);
    await expect(runtime.start(c)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(runtime.start(config({ podUid: '../escape' }))).rejects.toBeInstanceOf(RuntimeError);
  });
});

describe('process runtime: stop', () => {
  it('SIGKILLs a process that ignores SIGTERM once the grace period is over', async () => {
    const runtime = await newRuntime();
    const info = await runtime.start(sh("trap '' TERM; while :; do sleep 0.05; done"));
    await new Promise((r) => setTimeout(r, 100)); // let sh install its trap
    const t0 = Date.now();
    await runtime.stop(info.id, 600);
    const tookMs = Date.now() - t0;
    expect(tookMs).toBeGreaterThanOrEqual(550);
    expect(tookMs).toBeLessThan(10_000);
    expect(await runtime.inspect(info.id)).toMatchObject({ state: 'exited', exitCode: 137, signal: 9 });
  });

  it('ends early when the process exits on SIGTERM, and kills the whole process group', async () => {
    const stateDir = await newStateDir();
    const rt = runtimeOver(stateDir);
    // A child of the container's shell, in its group: it must go too.
    const info = await rt.start(sh('sleep 30 & echo $! > child.pid; wait', { workingDir: stateDir }));
    const childPid = Number(await until('child pid', async () => (existsSync(join(stateDir, 'child.pid')) ? (await readFile(join(stateDir, 'child.pid'), 'utf8')).trim() || undefined : undefined)));
    const t0 = Date.now();
    // Far less than the grace: it ended on SIGTERM.
    await rt.stop(info.id, 60_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await rt.inspect(info.id)).toMatchObject({ state: 'exited', exitCode: 143, signal: 15 });
    await until('group member gone', async () => (isAlive(childPid) ? undefined : true));
    // Stopping again, or an unknown id, does nothing.
    await rt.stop(info.id, 0);
    await rt.stop('no-such-id', 0);
  });
});

describe('process runtime: exec', () => {
  it('runs a command with the container env and working dir and reports its exit code and output', async () => {
    const runtime = await newRuntime();
    const info = await runtime.start(config({ env: { PROBE_WORD: 'ready' } }));
    const r = await runtime.exec(info.id, ['sh', '-c', 'echo $PROBE_WORD; echo err >&2; basename "$(pwd)"; exit 4'], 5_000);
    expect(r).toEqual({ exitCode: 4, output: expect.stringContaining('ready') as unknown as string, timedOut: false });
    expect(r.output).toContain('err');
    expect(r.output).toContain(info.id); // the default working dir is named for the container
  });

  it('times out a command that runs too long, kills it, and reports 127 for a missing one', async () => {
    const runtime = await newRuntime();
    const info = await runtime.start(config());
    const t0 = Date.now();
    const r = await runtime.exec(info.id, ['sleep', '10'], 200);
    expect(r.timedOut).toBe(true);
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect((await runtime.exec(info.id, ['no-such-command-drover'], 5_000)).exitCode).toBe(127);
    await runtime.stop(info.id, 0);
    await expect(runtime.exec(info.id, ['true'], 1_000)).rejects.toMatchObject({ code: 'NOT_RUNNING', op: 'exec' });
    await expect(runtime.exec('nope', ['true'], 1_000)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('process runtime: logs', () => {
  it('keeps stdout and stderr in the log file, and reads the last lines', async () => {
    const runtime = await newRuntime();
    const info = await runtime.start(sh('for i in 1 2 3 4 5; do echo out$i; done; echo err >&2'));
    await until('exit', async () => ((await runtime.inspect(info.id))?.state === 'exited' ? true : undefined));
    expect(await collect(runtime.logs(info.id))).toEqual(['out1', 'out2', 'out3', 'out4', 'out5', 'err']);
    expect(await collect(runtime.logs(info.id, { tailLines: 2 }))).toEqual(['out5', 'err']);
    await expect(collect(runtime.logs('nope'))).rejects.toMatchObject({ code: 'NOT_FOUND', op: 'logs' });
  });

  it('follows new lines until the iterator is closed', async () => {
    const runtime = await newRuntime({ logPollMs: 50 });
    const info = await runtime.start(sh('i=0; while :; do i=$((i+1)); echo tick$i; sleep 0.1; done'));
    const it = runtime.logs(info.id, { follow: true })[Symbol.asyncIterator]();
    const seen: string[] = [];
    while (seen.length < 4) {
      const r = await withTimeout(it.next(), 5_000, 'next line');
      if (r.done === true) throw new Error('follow ended early');
      seen.push(r.value);
    }
    expect(seen).toEqual(['tick1', 'tick2', 'tick3', 'tick4']);
    // return() ends the follow at once, even while a next() waits.
    const pending = it.next();
    await withTimeout(it.return!(), 1_000, 'return');
    const after = await withTimeout(pending, 1_000, 'pending next');
    expect(after.done === true || after.value.startsWith('tick')).toBe(true);
    expect((await it.next()).done).toBe(true);
  });

  it('ends a follow once the container has exited and its output is read', async () => {
    const runtime = await newRuntime({ logPollMs: 50 });
    const info = await runtime.start(sh('echo one; sleep 0.3; echo two'));
    expect(await withTimeout(collect(runtime.logs(info.id, { follow: true })), 5_000, 'follow')).toEqual(['one', 'two']);
  });
});

describe('process runtime: ports', () => {
  const server = `
    const port = Number(process.env.DROVER_PORT_8080);
    require('node:net').createServer((s) => s.end('pong:' + port)).listen(port, '127.0.0.1');
  `;

  async function reply(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      let data = '';
      s.on('data', (d: Buffer) => (data += d.toString()));
      s.on('end', () => resolve(data));
      s.on('error', reject);
    });
  }

  async function replyOnceListening(port: number): Promise<string> {
    return until('listening', () => reply(port).catch(() => undefined));
  }

  it('picks a free port, passes it as DROVER_PORT_<containerPort>, and reports it in hostPorts', async () => {
    const runtime = await newRuntime();
    const info = await runtime.start(config({ image: process.execPath, args: ['-e', server], ports: [{ containerPort: 8080, protocol: 'TCP' }] }));
    const port = info.hostPorts?.[8080];
    expect(port).toBeGreaterThan(0);
    expect(await replyOnceListening(port!)).toBe(`pong:${port}`);
  });

  it('uses the hostPort when one is given', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const runtime = await newRuntime();
    const info = await runtime.start(config({ image: process.execPath, args: ['-e', server], ports: [{ containerPort: 8080, hostPort: free, protocol: 'TCP' }] }));
    expect(info.hostPorts).toEqual({ 8080: free });
    expect(await replyOnceListening(free)).toBe(`pong:${free}`);
  });
});

describe('process runtime: adoption and removal', () => {
  it('a second runtime over the same state dir lists a running container and stops it', async () => {
    const stateDir = await newStateDir();
    const first = runtimeOver(stateDir);
    const info = await first.start(config());
    const second = runtimeOver(stateDir);
    expect((await second.list()).map((c) => [c.id, c.state])).toEqual([[info.id, 'running']]);
    const exits = recordExits(second);
    await second.stop(info.id, 5_000);
    expect(isAlive(await pidOf(stateDir, info.id))).toBe(false);
    await exitOf(exits, info.id, 5_000);
    expect((await second.inspect(info.id))?.state).toBe('exited');
  });

  it('finds the containers of an agent that was killed with SIGKILL, and tells their exit', async () => {
    const stateDir = await newStateDir();
    // The "agent": a node process that starts a container and kills itself with -9.
    const script = `
      import { ProcessRuntime } from ${JSON.stringify(join(REPO_ROOT, 'nodes/runtime/index.ts'))};
      import { WallClock } from ${JSON.stringify(join(REPO_ROOT, 'actors/index.ts'))};
      const rt = new ProcessRuntime({ stateDir: ${JSON.stringify(stateDir)}, clock: new WallClock() });
      const info = await rt.start({ podUid: 'agent-pod', podNamespace: 'default', podName: 'p', containerName: 'c', attempt: 0,
        image: 'sleep', args: ['30'], env: {}, ports: [], limits: {} });
      console.log(JSON.stringify(info));
      process.kill(process.pid, 'SIGKILL');
    `;
    const agent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    agent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const [, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => agent.once('exit', (c, s) => resolve([c, s])));
    expect(signal).toBe('SIGKILL');
    const started = JSON.parse(out.trim()) as { id: string };

    const runtime = runtimeOver(stateDir, { adoptedPollMs: 50 });
    const listed = await runtime.list();
    expect(listed).toMatchObject([{ id: started.id, podUid: 'agent-pod', state: 'running' }]);
    // Killed from outside: the poll finds it gone; the exit code of a process not ours is unknown (137).
    const exits = recordExits(runtime);
    process.kill(await pidOf(stateDir, started.id), 'SIGKILL');
    expect(await exitOf(exits, started.id, 5_000)).toMatchObject({ id: started.id, exitCode: 137 });
    expect(await runtime.inspect(started.id)).toMatchObject({ state: 'exited', exitCode: 137 });
  });

  it('reports exited a container whose pid now names another process', async () => {
    const stateDir = await newStateDir();
    const first = runtimeOver(stateDir);
    const info = await first.start(config());
    await first.close();
    // Forge the start time: the pid is alive, but not the process that was started.
    const path = join(stateDir, 'containers', `${info.id}.json`);
    const state = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...state, pidStartTime: '1' }));
    const second = runtimeOver(stateDir);
    expect(await second.inspect(info.id)).toMatchObject({ state: 'exited', exitCode: 137 });
    // It was never signalled: the real process still runs.
    expect(isAlive(state['pid'] as number)).toBe(true);
    process.kill(-(state['pid'] as number), 'SIGKILL');
  });

  it('remove deletes the state file, the log and the working dir, and refuses a running container', async () => {
    const stateDir = await newStateDir();
    const runtime = runtimeOver(stateDir);
    const c = sh('echo bye');
    const info = await runtime.start(c);
    const running = await runtime.start(config());
    await expect(runtime.remove(running.id)).rejects.toMatchObject({ code: 'STILL_RUNNING', op: 'remove' });
    await until('exit', async () => ((await runtime.inspect(info.id))?.state === 'exited' ? true : undefined));
    const logPath = join(stateDir, 'logs', c.podUid, 'main', '0.log');
    expect(existsSync(logPath)).toBe(true);
    await runtime.remove(info.id);
    expect(await runtime.inspect(info.id)).toBeUndefined();
    expect(existsSync(join(stateDir, 'containers', `${info.id}.json`))).toBe(false);
    expect(existsSync(logPath)).toBe(false);
    expect(existsSync(join(stateDir, 'logs', c.podUid))).toBe(false);
    expect(existsSync(join(stateDir, 'work', info.id))).toBe(false);
    expect((await runtime.list()).map((i) => i.id)).toEqual([running.id]);
    await runtime.remove('no-such-id');
  });
});

