import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, DroverClient, type LogsMessage } from '../../../../core/client/index.js';
import { startFakeCluster, type FakeCluster } from './fake-masters.js';

const fast = { backoffBaseMs: 5, backoffMaxMs: 20, attemptsMax: 4, deadlineMs: 2_000 };

let cluster: FakeCluster | undefined;
let client: DroverClient | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await cluster?.stop();
  cluster = undefined;
});

/** A Logs handler that writes `messages` and then ends the stream (or, with `open`, waits for the caller to go). */
function serve(messages: LogsMessage[], opts: { open?: boolean; onClosed?: () => void } = {}) {
  return async (_r: Record<string, unknown>, sink: { write(m: unknown): void; end(): void; readonly closed: Promise<void> }) => {
    for (const m of messages) sink.write(m);
    if (opts.open !== true) return sink.end();
    await sink.closed;
    opts.onClosed?.();
  };
}

describe('DroverClient: logs', () => {
  it('delivers the lines and the end, and sends the request as given', async () => {
    cluster = await startFakeCluster(1);
    const m = cluster.masters[0]!;
    const requests: unknown[] = [];
    const handler = serve([{ type: 'log-line', line: 'one' }, { type: 'log-line', line: '' }, { type: 'log-end' }]);
    m.logs = (r, sink) => (requests.push(r), handler(r, sink));
    client = new DroverClient({ masters: [m.address], retry: fast });
    const got: LogsMessage[] = [];
    const s = client.logs({ namespace: 'default', name: 'web', container: 'app', tailLines: 2 }, (x) => got.push(x));
    await s.done;
    expect(got).toEqual([{ type: 'log-line', line: 'one' }, { type: 'log-line', line: '' }, { type: 'log-end' }]);
    expect(requests).toEqual([{ namespace: 'default', name: 'web', container: 'app', tailLines: 2 }]);
  });

  it('a log-error goes to onMessage and rejects done with an ApiError of its code', async () => {
    cluster = await startFakeCluster(1);
    const m = cluster.masters[0]!;
    m.logs = serve([{ type: 'log-line', line: 'partial' }, { type: 'log-error', error: { code: 'FAILED_PRECONDITION', message: 'no previous run' } }]);
    client = new DroverClient({ masters: [m.address], retry: fast });
    const got: LogsMessage[] = [];
    const done = client.logs({ namespace: 'default', name: 'web', previous: true }, (x) => got.push(x)).done;
    await expect(done).rejects.toSatisfy((e: unknown) => e instanceof ApiError && e.code === 'FAILED_PRECONDITION' && e.message === 'no previous run');
    expect(got.map((x) => x.type)).toEqual(['log-line', 'log-error']);
  });

  it('a stream refused before any message goes to the next master; one that breaks after lines fails', async () => {
    cluster = await startFakeCluster(2);
    const [m1, m2] = cluster.masters;
    await m1!.gateway.stop(0);
    m2!.logs = serve([{ type: 'log-line', line: 'from m2' }, { type: 'log-end' }]);
    client = new DroverClient({ masters: [m1!.address, m2!.address], retry: fast });
    const got: string[] = [];
    await client.logs({ namespace: 'default', name: 'web' }, (x) => void (x.type === 'log-line' && got.push(x.line))).done;
    expect(got).toEqual(['from m2']);

    // No log-end: the stream broke off. Lines were delivered, so it is not asked again.
    m2!.logs = serve([{ type: 'log-line', line: 'cut' }]);
    const calls = m2!.calls.length;
    await expect(client.logs({ namespace: 'default', name: 'web' }, () => undefined).done).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(m2!.calls.length - calls).toBe(1);
  });

  it('a final error of the master fails at once; cancel ends a follow and the master sees the caller go', async () => {
    cluster = await startFakeCluster(1);
    const m = cluster.masters[0]!;
    client = new DroverClient({ masters: [m.address], retry: fast });
    // No Logs on these masters: UNIMPLEMENTED, not retried.
    await expect(client.logs({ namespace: 'default', name: 'web' }, () => undefined).done).rejects.toMatchObject({ code: 'UNIMPLEMENTED' });
    expect(m.calls.filter((c) => c === 'Logs')).toHaveLength(1);

    let callerGone = false;
    m.logs = serve([{ type: 'log-line', line: 'first' }], { open: true, onClosed: () => (callerGone = true) });
    const got: string[] = [];
    const s = client.logs({ namespace: 'default', name: 'web', follow: true }, (x) => void (x.type === 'log-line' && got.push(x.line)));
    await expect.poll(() => got).toEqual(['first']);
    s.cancel();
    await s.done;
    await expect.poll(() => callerGone).toBe(true);
  });
});
