// The master's side of Logs: one actor per call, in the simulated world,
// between a fake API actor and a fake node agent on another system.

import { describe, expect, it } from 'vitest';
import { Simulation, type ActorContext, type ActorRef, type ActorSystem } from '../../../../../actors/index.js';
import type { Node, Pod } from '../../../../../core/api/index.js';
import type { StreamSink } from '../../../../../core/grpc/index.js';
import type { AgentLogsMessage, AgentLogsRequest, ApiReply, ApiRequest, LogsMessage, LogsRequest } from '../../../../../core/master/index.js';
import { logsStream } from '../../../../../core/master/process/logs-stream.js';
import { isHollowNode, logTarget, parseLogsRequest } from '../../../../../core/master/process/logs-target.js';

function pod(extra: { nodeName?: string; containers?: string[] } = {}): Pod {
  return {
    apiVersion: 'drover/v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
    spec: { containers: (extra.containers ?? ['app']).map((name) => ({ name, image: 'busybox' })), ...(extra.nodeName !== undefined ? { nodeName: extra.nodeName } : {}) },
  } as Pod;
}

function node(name: string, runtimeVersion: string): Node {
  return { apiVersion: 'drover/v1', kind: 'Node', metadata: { name }, status: { nodeInfo: { containerRuntimeVersion: runtimeVersion } } } as Node;
}

class FakeSink implements StreamSink {
  readonly written: LogsMessage[] = [];
  ended = false;
  failed: unknown;
  private close!: () => void;
  readonly closed = new Promise<void>((resolve) => (this.close = resolve));

  write(message: unknown): void {
    if (this.ended) throw new Error('write after end');
    this.written.push(message as LogsMessage);
  }

  end(): void {
    this.ended = true;
  }

  fail(error: unknown): void {
    this.failed = error;
    this.ended = true;
  }

  /** The caller cancels. */
  cancel(): void {
    this.close();
  }

  lines(): string[] {
    return this.written.flatMap((m) => (m.type === 'log-line' ? [m.line] : []));
  }
}

interface Harness {
  readonly sim: Simulation;
  readonly sink: FakeSink;
  /** What the fake agent was told, in order. */
  readonly toAgent: AgentLogsRequest[];
  /** The stream actor, once the agent has heard from it. */
  stream(): ActorRef<AgentLogsMessage>;
  /** Makes the fake agent tell the stream `m`. */
  agentSays(m: AgentLogsMessage): void;
  readonly master: ActorSystem;
}

async function start(objects: { pod?: Pod; node?: Node }, request: Partial<LogsRequest> = {}, opts: { agent?: boolean; requestTimeoutMs?: number } = {}): Promise<Harness> {
  const sim = new Simulation({ seed: 5 });
  const master = await sim.system('m1');
  const api = master.spawn((ctx: ActorContext<ApiRequest>) => (m: ApiRequest) => {
    const found = m.type === 'get' ? (m.kind === 'Pod' ? objects.pod : m.kind === 'Node' ? objects.node : undefined) : undefined;
    const reply: ApiReply = found !== undefined ? { ok: true, value: found } : { ok: false, error: { code: 'NOT_FOUND', message: `${m.type === 'get' ? m.kind : '?'} not found`, details: {} } };
    ctx.reply(reply);
  }, 'api');
  const toAgent: AgentLogsRequest[] = [];
  let streamRef: ActorRef<AgentLogsMessage> | undefined;
  let agentRef: ActorRef<{ say: AgentLogsMessage }> | undefined;
  if (opts.agent !== false) {
    const n1 = await sim.system('n1');
    agentRef = n1.spawn((ctx: ActorContext<AgentLogsRequest | { say: AgentLogsMessage }>) => (m: AgentLogsRequest | { say: AgentLogsMessage }) => {
      if ('say' in m) return streamRef?.tell(m.say, ctx.self as ActorRef<never>);
      toAgent.push(m);
      streamRef = ctx.sender as ActorRef<AgentLogsMessage>;
    }, 'agent-n1') as ActorRef<{ say: AgentLogsMessage }>;
  }
  const sink = new FakeSink();
  master.spawn(
    logsStream({ api: api as ActorRef<ApiRequest>, requestId: 'q1', request: { namespace: 'default', name: 'web', ...request }, sink, requestTimeoutMs: opts.requestTimeoutMs ?? 2_000 }),
    'logs-1',
  );
  return {
    sim,
    sink,
    toAgent,
    master,
    stream: () => streamRef!,
    agentSays: (m) => agentRef!.tell({ say: m }),
  };
}

describe('logs stream (the master side of Logs)', () => {
  it("asks the pod's node agent, writes each line, acknowledges each batch, and ends with log-end", async () => {
    const h = await start({ pod: pod({ nodeName: 'n1' }), node: node('n1', 'process://drover-0.1.0') }, { follow: true, tailLines: 3 });
    expect(await h.sim.runUntil(() => h.toAgent.length === 1, 1_000)).toBe(true);
    expect(h.toAgent[0]).toEqual({ type: 'logs', requestId: 'q1', namespace: 'default', name: 'web', uid: 'uid-1', container: 'app', follow: true, previous: false, tailLines: 3 });
    expect(h.stream().path).toBe('drover://m1/user/logs-1');

    h.agentSays({ type: 'logs-started', requestId: 'q1' });
    h.agentSays({ type: 'log-lines', requestId: 'q1', seq: 1, lines: ['a', 'b'] });
    h.agentSays({ type: 'log-line', requestId: 'q1', seq: 2, line: 'c' });
    h.agentSays({ type: 'log-line', requestId: 'other', seq: 1, line: 'not mine' });
    expect(await h.sim.runUntil(() => h.toAgent.length === 3, 1_000)).toBe(true);
    expect(h.sink.lines()).toEqual(['a', 'b', 'c']);
    expect(h.toAgent.slice(1)).toEqual([
      { type: 'logs-ack', requestId: 'q1', seq: 1 },
      { type: 'logs-ack', requestId: 'q1', seq: 2 },
    ]);

    h.agentSays({ type: 'log-end', requestId: 'q1' });
    expect(await h.sim.runUntil(() => h.sink.ended, 1_000)).toBe(true);
    expect(h.sink.written.at(-1)).toEqual({ type: 'log-end' });
  });

  it("passes the agent's log-error on and ends", async () => {
    const h = await start({ pod: pod({ nodeName: 'n1' }) }, { previous: true });
    expect(await h.sim.runUntil(() => h.toAgent.length === 1, 1_000)).toBe(true);
    expect(h.toAgent[0]).toMatchObject({ previous: true, follow: false });
    h.agentSays({ type: 'log-error', requestId: 'q1', error: { code: 'FAILED_PRECONDITION', message: 'no previous run' } });
    expect(await h.sim.runUntil(() => h.sink.ended, 1_000)).toBe(true);
    expect(h.sink.written).toEqual([{ type: 'log-error', error: { code: 'FAILED_PRECONDITION', message: 'no previous run' } }]);
  });

  it('a missing pod, a pod on no node, and a hollow node end with log-error without asking any agent', async () => {
    const missing = await start({});
    expect(await missing.sim.runUntil(() => missing.sink.ended, 1_000)).toBe(true);
    expect(missing.sink.written).toEqual([{ type: 'log-error', error: { code: 'NOT_FOUND', message: 'Pod not found' } }]);

    const unbound = await start({ pod: pod() });
    expect(await unbound.sim.runUntil(() => unbound.sink.ended, 1_000)).toBe(true);
    expect(unbound.sink.written).toEqual([{ type: 'log-error', error: { code: 'NOT_FOUND', message: 'pod default/web is not bound to a node yet' } }]);

    const hollow = await start({ pod: pod({ nodeName: 'n1' }), node: node('n1', 'hollow://0') });
    expect(await hollow.sim.runUntil(() => hollow.sink.ended, 1_000)).toBe(true);
    expect(hollow.sink.written).toEqual([{ type: 'log-error', error: { code: 'UNAVAILABLE', message: 'pod default/web runs on hollow node n1: hollow nodes keep no logs' } }]);
    for (const h of [missing, unbound, hollow]) expect(h.toAgent).toEqual([]);
  });

  it('a node that dies mid-stream ends it with UNAVAILABLE', async () => {
    const h = await start({ pod: pod({ nodeName: 'n1' }) }, { follow: true });
    expect(await h.sim.runUntil(() => h.toAgent.length === 1, 1_000)).toBe(true);
    h.agentSays({ type: 'logs-started', requestId: 'q1' });
    h.agentSays({ type: 'log-line', requestId: 'q1', seq: 1, line: 'before' });
    expect(await h.sim.runUntil(() => h.sink.lines().length === 1, 1_000)).toBe(true);
    h.sim.crash('n1');
    expect(await h.sim.runUntil(() => h.sink.ended, 10_000)).toBe(true);
    expect(h.sink.written.at(-1)).toEqual({ type: 'log-error', error: { code: 'UNAVAILABLE', message: 'the agent of node n1 is gone (the node is down or cut off)' } });
  });

  it('an agent that never answers ends the stream with UNAVAILABLE after the request timeout', async () => {
    const h = await start({ pod: pod({ nodeName: 'n1' }) }, {}, { requestTimeoutMs: 500 });
    expect(await h.sim.runUntil(() => h.sink.ended, 10_000)).toBe(true);
    expect(h.sink.written).toEqual([{ type: 'log-error', error: { code: 'UNAVAILABLE', message: 'the agent of node n1 did not answer within 500 ms' } }]);
    // In case the request only got lost, the agent is told to drop it.
    expect(await h.sim.runUntil(() => h.toAgent.length === 2, 1_000)).toBe(true);
    expect(h.toAgent.map((m) => m.type)).toEqual(['logs', 'logs-cancel']);

    // No system for the node at all: the death watch, or the timeout, whichever is first.
    const none = await start({ pod: pod({ nodeName: 'n1' }) }, {}, { agent: false, requestTimeoutMs: 60_000 });
    expect(await none.sim.runUntil(() => none.sink.ended, 20_000)).toBe(true);
    expect(none.sink.written).toMatchObject([{ type: 'log-error', error: { code: 'UNAVAILABLE' } }]);
  });

  it("the caller's cancel tells the agent to stop and ends the stream", async () => {
    const h = await start({ pod: pod({ nodeName: 'n1' }) }, { follow: true });
    expect(await h.sim.runUntil(() => h.toAgent.length === 1, 1_000)).toBe(true);
    h.agentSays({ type: 'logs-started', requestId: 'q1' });
    await h.sim.runFor(100);
    h.sink.cancel();
    expect(await h.sim.runUntil(() => h.toAgent.length === 2 && h.sink.ended, 1_000)).toBe(true);
    expect(h.toAgent[1]).toEqual({ type: 'logs-cancel', requestId: 'q1' });
    expect(h.sink.written).toEqual([]);
  });
});

describe('logs target', () => {
  it('parses a request, defaulting the namespace, and names the field it rejects', () => {
    expect(parseLogsRequest({ name: 'web' })).toEqual({ namespace: 'default', name: 'web' });
    expect(parseLogsRequest({ name: 'web', namespace: 'ns', container: 'c', follow: true, previous: false, tailLines: 0 })).toEqual({ namespace: 'ns', name: 'web', container: 'c', follow: true, tailLines: 0 });
    expect(() => parseLogsRequest({})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', details: { field: 'name', rule: 'must be a non-empty string' } }));
    expect(() => parseLogsRequest({ name: 'web', tailLines: -1 })).toThrow(/tailLines must be an integer >= 0/);
    expect(() => parseLogsRequest({ name: 'web', tailLines: 1.5 })).toThrow(/tailLines/);
    expect(() => parseLogsRequest({ name: 'web', follow: 'yes' })).toThrow(/follow must be a boolean/);
  });

  it('picks the named or only container, and refuses what cannot be read', () => {
    const req = { namespace: 'default', name: 'web' };
    expect(logTarget(req, pod({ nodeName: 'n1' }), undefined)).toEqual({ type: 'target', nodeName: 'n1', uid: 'uid-1', container: 'app' });
    expect(logTarget({ ...req, container: 'side' }, pod({ nodeName: 'n1', containers: ['app', 'side'] }), undefined)).toMatchObject({ container: 'side' });
    expect(logTarget(req, pod({ nodeName: 'n1', containers: ['app', 'side'] }), undefined)).toEqual({ type: 'failed', error: { code: 'INVALID_ARGUMENT', message: 'pod default/web has several containers: name one (app, side)' } });
    expect(logTarget({ ...req, container: 'nope' }, pod({ nodeName: 'n1' }), undefined)).toMatchObject({ type: 'failed', error: { code: 'NOT_FOUND' } });
    expect(isHollowNode(node('h', 'hollow://0'))).toBe(true);
    expect(isHollowNode(node('d', 'docker://24.0.7'))).toBe(false);
  });
});
