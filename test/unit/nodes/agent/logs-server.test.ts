// The node agent's logs server in the simulated world: a requester on a
// "master" system asks it over the simulated network, as a master's Logs
// stream does, and a scripted runtime stands in for the containers.

import { describe, expect, it } from 'vitest';
import { Simulation, type ActorContext, type ActorRef, type ActorSystem } from '../../../../actors/index.js';
import type { AgentLogsMessage, AgentLogsRequest } from '../../../../core/client/index.js';
import { containerFor, linePieces, logsServer, type LogsServerOptions } from '../../../../nodes/agent/logs-server.js';
import { HollowRuntime, RuntimeError, type ContainerInfo, type ContainerRuntime, type LogOptions } from '../../../../nodes/runtime/index.js';

const POD = { podNamespace: 'default', podName: 'web', podUid: 'uid-1' } as const;

function info(id: string, attempt: number, state: ContainerInfo['state'], extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return { id, containerID: `hollow://${id}`, ...POD, containerName: 'app', attempt, image: 'busybox', state, startedAtMs: 1_000 + attempt, ...extra };
}

/** A container's log the test writes to: `lines` are there from the start, `push` appends, `end` ends a follow. */
class ScriptedLog {
  readonly lines: string[];
  nextCalls = 0;
  returned = 0;
  failAt: number | undefined;
  private ended = false;
  private waiting: (() => void) | undefined;

  constructor(lines: readonly string[]) {
    this.lines = [...lines];
  }

  push(...lines: string[]): void {
    this.lines.push(...lines);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  iterator(options: LogOptions): AsyncIterator<string> {
    let i = options.tailLines !== undefined ? Math.max(0, this.lines.length - options.tailLines) : 0;
    let closed = false;
    const next = async (): Promise<IteratorResult<string>> => {
      this.nextCalls += 1;
      for (;;) {
        if (closed) return { done: true, value: undefined };
        if (this.failAt !== undefined && i >= this.failAt) throw new RuntimeError('FAILED', 'logs', 'the log file vanished', { containerId: 'x' });
        const line = this.lines[i];
        if (line !== undefined) {
          i += 1;
          return { done: false, value: line };
        }
        if (!options.follow || this.ended) return { done: true, value: undefined };
        await new Promise<void>((resolve) => (this.waiting = resolve));
      }
    };
    return {
      next,
      return: () => {
        closed = true;
        this.returned += 1;
        this.wake();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}

/** A runtime whose list() and logs() are scripted; the rest is the hollow runtime's. */
class ScriptedRuntime extends HollowRuntime implements ContainerRuntime {
  readonly scripted: ContainerInfo[] = [];
  readonly logsOf = new Map<string, ScriptedLog>();
  readonly asked: { id: string; options: LogOptions }[] = [];

  override list(): Promise<ContainerInfo[]> {
    return Promise.resolve([...this.scripted]);
  }

  override logs(id: string, options: LogOptions = {}): AsyncIterable<string> {
    this.asked.push({ id, options });
    const log = this.logsOf.get(id);
    if (log === undefined) throw new Error(`no scripted log for ${id}`);
    return { [Symbol.asyncIterator]: () => log.iterator(options) };
  }

  add(c: ContainerInfo, lines: readonly string[]): ScriptedLog {
    this.scripted.push(c);
    const log = new ScriptedLog(lines);
    this.logsOf.set(c.id, log);
    return log;
  }
}

interface Harness {
  readonly sim: Simulation;
  readonly runtime: ScriptedRuntime;
  readonly got: AgentLogsMessage[];
  readonly master: ActorSystem;
  readonly requester: ActorRef<AgentLogsMessage | { type: 'stop' }>;
  /** Acknowledge every batch at once (else the test acks by hand). */
  autoAck: boolean;
  ask(q: Partial<AgentLogsRequest & { type: 'logs' }>): void;
  tell(m: AgentLogsRequest): void;
  lines(): string[];
}

async function start(setup: (r: ScriptedRuntime) => void, opts: Partial<LogsServerOptions> = {}): Promise<Harness> {
  const sim = new Simulation({ seed: 11 });
  const node = await sim.system('n1');
  const master = await sim.system('m1');
  const runtime = new ScriptedRuntime();
  setup(runtime);
  node.spawn(logsServer({ runtime, nodeName: 'n1', ...opts }), 'logs');
  const server = master.resolve<AgentLogsRequest>('drover://n1/user/logs');
  const got: AgentLogsMessage[] = [];
  const h = { autoAck: true } as { autoAck: boolean };
  const requester = master.spawn((ctx: ActorContext<AgentLogsMessage | { type: 'stop' }>) => (m: AgentLogsMessage | { type: 'stop' }) => {
    if (m.type === 'stop') return ctx.stop();
    got.push(m);
    if (h.autoAck && (m.type === 'log-line' || m.type === 'log-lines')) server.tell({ type: 'logs-ack', requestId: m.requestId, seq: m.seq }, ctx.self as ActorRef<never>);
  }, 'req');
  return Object.assign(h, {
    sim,
    runtime,
    got,
    master,
    requester,
    ask: (q: Partial<AgentLogsRequest & { type: 'logs' }>) =>
      server.tell({ type: 'logs', requestId: 'r1', namespace: 'default', name: 'web', container: 'app', follow: false, previous: false, ...q }, requester as ActorRef<never>),
    tell: (m: AgentLogsRequest) => server.tell(m, requester as ActorRef<never>),
    lines: () => got.flatMap((m) => (m.type === 'log-line' ? [m.line] : m.type === 'log-lines' ? [...m.lines] : [])),
  });
}

const numbered = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${from + i}`);
const ended = (h: Harness) => () => h.got.some((m) => m.type === 'log-end' || m.type === 'log-error');

describe('logs server: reading', () => {
  it("streams the latest attempt's log in batches, after logs-started, then log-end", async () => {
    const h = await start((r) => {
      r.add(info('old', 0, 'exited', { exitCode: 1 }), ['from attempt 0']);
      r.add(info('new', 1, 'running'), numbered(1_200));
    }, { batchLinesMax: 500 });
    h.ask({});
    expect(await h.sim.runUntil(ended(h), 10_000)).toBe(true);
    expect(h.got[0]).toEqual({ type: 'logs-started', requestId: 'r1' });
    expect(h.got.at(-1)).toEqual({ type: 'log-end', requestId: 'r1' });
    expect(h.lines()).toEqual(numbered(1_200));
    const batches = h.got.filter((m) => m.type === 'log-lines');
    expect(batches.map((b) => [b.seq, b.lines.length])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect(h.runtime.asked).toEqual([{ id: 'new', options: { follow: false } }]);
  });

  it('passes tailLines on, and sends a lone line as log-line', async () => {
    const h = await start((r) => void r.add(info('c', 0, 'running'), numbered(5)));
    h.ask({ tailLines: 1 });
    expect(await h.sim.runUntil(ended(h), 10_000)).toBe(true);
    expect(h.got).toEqual([
      { type: 'logs-started', requestId: 'r1' },
      { type: 'log-line', requestId: 'r1', seq: 1, line: 'line 5' },
      { type: 'log-end', requestId: 'r1' },
    ]);
    expect(h.runtime.asked[0]?.options).toEqual({ follow: false, tailLines: 1 });
  });

  it('previous reads the exited attempt before the latest; without one it is FAILED_PRECONDITION', async () => {
    const h = await start((r) => {
      r.add(info('a0', 0, 'exited', { exitCode: 1 }), ['run 0']);
      r.add(info('a1', 1, 'exited', { exitCode: 1 }), ['run 1']);
      r.add(info('a2', 2, 'running'), ['run 2']);
    });
    h.ask({ previous: true });
    expect(await h.sim.runUntil(ended(h), 10_000)).toBe(true);
    expect(h.lines()).toEqual(['run 1']);

    const one = await start((r) => void r.add(info('only', 0, 'running'), ['x']));
    one.ask({ previous: true });
    expect(await one.sim.runUntil(ended(one), 10_000)).toBe(true);
    expect(one.got).toEqual([{ type: 'log-error', requestId: 'r1', error: { code: 'FAILED_PRECONDITION', message: 'container "app" of pod default/web has no previous run on node n1' } }]);
  });

  it('a container that has not run is NOT_FOUND; a failing read ends with log-error after the lines before it', async () => {
    const h = await start((r) => void r.add(info('c', 0, 'created'), []));
    h.ask({});
    expect(await h.sim.runUntil(ended(h), 10_000)).toBe(true);
    expect(h.got).toEqual([{ type: 'log-error', requestId: 'r1', error: { code: 'NOT_FOUND', message: 'container "app" of pod default/web has not run on node n1 (yet)' } }]);

    // The runtime cannot open the log.
    const o = await start((r) => void r.scripted.push(info('c', 0, 'running')));
    o.ask({});
    expect(await o.sim.runUntil(ended(o), 10_000)).toBe(true);
    expect(o.got).toMatchObject([{ type: 'log-error', error: { code: 'INTERNAL', message: 'opening the log: no scripted log for c' } }]);

    let log!: ScriptedLog;
    const f = await start((r) => {
      log = r.add(info('c', 0, 'running'), numbered(3));
      log.failAt = 2;
    });
    f.ask({});
    expect(await f.sim.runUntil(ended(f), 10_000)).toBe(true);
    expect(f.lines()).toEqual(['line 1', 'line 2']);
    expect(f.got.at(-1)).toMatchObject({ type: 'log-error', error: { code: 'INTERNAL', message: expect.stringMatching(/reading the log: .*vanished/) } });
  });

  it("keeps to the pod's uid, and without one to the newest pod of that name", () => {
    const older = info('older', 3, 'exited', { podUid: 'uid-0', startedAtMs: 10 });
    const newer = info('newer', 0, 'running', { podUid: 'uid-1', startedAtMs: 500 });
    const q = { type: 'logs', requestId: 'r', namespace: 'default', name: 'web', container: 'app', follow: false, previous: false } as const;
    expect(containerFor([older, newer], q, 'n1')).toEqual({ type: 'found', id: 'newer' });
    expect(containerFor([older, newer], { ...q, uid: 'uid-0' }, 'n1')).toEqual({ type: 'found', id: 'older' });
    expect(containerFor([older, newer], { ...q, container: 'other' }, 'n1')).toMatchObject({ type: 'failed', error: { code: 'NOT_FOUND' } });
  });

  it('cuts lines longer than lineCharsMax', async () => {
    expect(linePieces('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(linePieces('', 3)).toEqual(['']);
    const h = await start((r) => void r.add(info('c', 0, 'running'), ['x'.repeat(10), 'abc']), { lineCharsMax: 4 });
    h.ask({});
    expect(await h.sim.runUntil(ended(h), 10_000)).toBe(true);
    expect(h.lines()).toEqual(['xxxx', 'xxxx', 'xx', 'abc']);
  });
});

describe('logs server: flow control and following', () => {
  it('stops reading while inflightLinesMax lines are unacknowledged, and goes on per ack', async () => {
    let log!: ScriptedLog;
    const h = await start((r) => void (log = r.add(info('c', 0, 'running'), numbered(1_000))), { batchLinesMax: 10, inflightLinesMax: 30 });
    h.autoAck = false;
    h.ask({});
    await h.sim.runFor(2_000);
    expect(h.lines()).toEqual(numbered(30));
    // The window is full: the log is not read past it.
    expect(log.nextCalls).toBe(30);

    h.tell({ type: 'logs-ack', requestId: 'r1', seq: 1 });
    await h.sim.runFor(2_000);
    expect(h.lines()).toEqual(numbered(40));

    h.autoAck = true;
    h.tell({ type: 'logs-ack', requestId: 'r1', seq: 4 });
    expect(await h.sim.runUntil(ended(h), 10_000)).toBe(true);
    expect(h.lines()).toEqual(numbered(1_000));
  });

  it('follows: a line written later comes after the linger, and logs-cancel closes the reader', async () => {
    let log!: ScriptedLog;
    const h = await start((r) => void (log = r.add(info('c', 0, 'running'), ['first'])), { lingerMs: 10 });
    h.ask({ follow: true });
    expect(await h.sim.runUntil(() => h.lines().length === 1, 1_000)).toBe(true);
    log.push('later');
    const t0 = h.sim.elapsedMs;
    expect(await h.sim.runUntil(() => h.lines().length === 2, 1_000)).toBe(true);
    expect(h.sim.elapsedMs - t0).toBeGreaterThanOrEqual(10);
    expect(h.lines()).toEqual(['first', 'later']);
    expect(h.runtime.asked[0]?.options).toEqual({ follow: true });

    h.tell({ type: 'logs-cancel', requestId: 'r1' });
    expect(await h.sim.runUntil(() => log.returned === 1, 1_000)).toBe(true);
    log.push('after the cancel');
    await h.sim.runFor(1_000);
    expect(h.lines()).toEqual(['first', 'later']);
    expect(h.got.some((m) => m.type === 'log-end')).toBe(false);
  });

  it('a follow ends with log-end when the log ends (the container exited)', async () => {
    let log!: ScriptedLog;
    const h = await start((r) => void (log = r.add(info('c', 0, 'running'), ['one'])));
    h.ask({ follow: true });
    expect(await h.sim.runUntil(() => h.lines().length === 1, 1_000)).toBe(true);
    log.push('two');
    log.end();
    expect(await h.sim.runUntil(ended(h), 1_000)).toBe(true);
    expect(h.lines()).toEqual(['one', 'two']);
    expect(h.got.at(-1)?.type).toBe('log-end');
  });

  it('a requester that stops, or whose system dies, ends its follows', async () => {
    let log!: ScriptedLog;
    const h = await start((r) => void (log = r.add(info('c', 0, 'running'), ['one'])));
    h.ask({ follow: true });
    expect(await h.sim.runUntil(() => h.lines().length === 1, 1_000)).toBe(true);
    h.requester.tell({ type: 'stop' });
    expect(await h.sim.runUntil(() => log.returned === 1, 1_000)).toBe(true);

    let log2!: ScriptedLog;
    const c = await start((r) => void (log2 = r.add(info('c', 0, 'running'), ['one'])));
    c.ask({ follow: true });
    expect(await c.sim.runUntil(() => c.lines().length === 1, 1_000)).toBe(true);
    c.sim.crash('m1');
    // The death watch judges the silent system gone after its timeout (3 s by default).
    expect(await c.sim.runUntil(() => log2.returned === 1, 10_000)).toBe(true);
  });
});
