import { describe, expect, it } from 'vitest';
import { runLogs, type LogsMessage, type LogsRequest, type LogStream } from '../../../bin/commands/index.js';
import { containerFor, logsRequest } from '../../../bin/commands/logs.js';
import { ApiError } from '../../../core/client/index.js';
import { FakeClient } from './fake-client.js';
import { pod } from './objects.js';
import { testIo } from './test-io.js';

/** A stream that sends `messages` at once and ends (or, with `open`, stays open until cancelled). */
function scripted(messages: LogsMessage[], open = false): (r: LogsRequest, send: (m: LogsMessage) => void) => LogStream {
  return (_r, send) => {
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    queueMicrotask(() => {
      for (const m of messages) send(m);
      if (!open) end();
    });
    return { cancel: () => end(), done };
  };
}

function withPods(): FakeClient {
  const client = new FakeClient();
  client.put(pod('web'));
  client.put(pod('two', { containers: ['app', 'sidecar'] }));
  return client;
}

describe('drover logs', () => {
  it('prints the lines as they come and asks for exactly what the flags say', async () => {
    const client = withPods();
    client.logScript = scripted([{ type: 'log-line', line: 'hello' }, { type: 'log-line', line: '' }, { type: 'log-line', line: 'world' }, { type: 'log-end' }]);
    const io = testIo();
    expect(await runLogs({ resource: 'web', previous: true, tail: 10 }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual(['hello', '', 'world']);
    expect(client.logRequests).toEqual([{ namespace: 'default', name: 'web', container: 'c', previous: true, tailLines: 10 }]);
    expect(client.closed).toBe(true);
  });

  it('-f streams until Ctrl-C, which cancels the stream (exit 0)', async () => {
    const client = withPods();
    client.logScript = scripted([{ type: 'log-line', line: 'one' }], true);
    const ac = new AbortController();
    const io = testIo();
    const running = runLogs({ resource: 'pod/two', container: 'sidecar', follow: true, tail: -1, signal: ac.signal }, io, () => client);
    await expect.poll(() => io.stdout).toEqual(['one']);
    ac.abort();
    expect(await running).toBe(0);
    expect(client.logRequests).toEqual([{ namespace: 'default', name: 'two', container: 'sidecar', follow: true }]);
  });

  it('a log-error or a failed stream is exit 1 with its message', async () => {
    const client = withPods();
    client.logScript = scripted([{ type: 'log-line', line: 'partial' }, { type: 'log-error', error: { code: 'NOT_FOUND', message: 'container c has no previous run' } }]);
    let io = testIo();
    expect(await runLogs({ resource: 'pod', name: 'web', previous: true }, io, () => client)).toBe(1);
    expect(io.stdout).toEqual(['partial']);
    expect(io.stderr).toEqual(['error: container c has no previous run (NOT_FOUND)']);

    client.logScript = () => ({ cancel: () => undefined, done: Promise.reject(new ApiError('UNAVAILABLE', 'no master answered')) });
    io = testIo();
    expect(await runLogs({ resource: 'web' }, io, () => client)).toBe(1);
    expect(io.stderr[0]).toMatch(/no master answered/);
  });

  it('checks the pod and the container first', async () => {
    const client = withPods();
    let io = testIo();
    expect(await runLogs({ resource: 'two' }, io, () => client)).toBe(1);
    expect(io.stderr).toEqual(['error: pod "two" has several containers: name one with -c (app, sidecar)']);
    io = testIo();
    expect(await runLogs({ resource: 'web', container: 'nope' }, io, () => client)).toBe(1);
    expect(io.stderr).toEqual(['error: container "nope" is not in pod "web" (containers: c)']);
    io = testIo();
    expect(await runLogs({ resource: 'ghost' }, io, () => client)).toBe(1);
    expect(io.stderr).toEqual(['error: pods "ghost" not found in namespace "default"']);
    io = testIo();
    expect(await runLogs({ resource: 'deployment/web' }, io, () => client)).toBe(2);
    expect(client.logRequests).toEqual([]);
  });

  it('a client without Logs says so', async () => {
    const client = withPods();
    const io = testIo();
    expect(await runLogs({ resource: 'web' }, io, () => Object.assign(client, { logs: undefined }))).toBe(1);
    expect(io.stderr[0]).toMatch(/cannot stream logs yet/);
  });

  it('containerFor and logsRequest', () => {
    expect(containerFor('p', ['only'], undefined)).toBe('only');
    expect(() => containerFor('p', [], undefined)).toThrow(/has no containers/);
    expect(logsRequest({ resource: 'p', tail: 0 }, 'ns', 'p', 'c')).toEqual({ namespace: 'ns', name: 'p', container: 'c', tailLines: 0 });
  });
});
