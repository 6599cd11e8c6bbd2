import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../../../core/api/index.js';
import { ApiError, DroverClient, type WatchEvent } from '../../../../core/client/index.js';
import { APPLY_ATTEMPTS_MAX } from '../../../../core/master/index.js';
import { startFakeCluster, type FakeCluster } from './fake-masters.js';

const pod = (name: string, labels: Record<string, string> = { app: 'web' }, image = 'nginx:1'): Pod =>
  ({ apiVersion: 'drover/v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', image }] } }) as unknown as Pod;

const fast = { backoffBaseMs: 5, backoffMaxMs: 20, attemptsMax: 6, deadlineMs: 2_000 };

let cluster: FakeCluster | undefined;
let client: DroverClient | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await cluster?.stop();
  cluster = undefined;
});

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('DroverClient: leader following and retries', () => {
  it('follows a follower\'s leader hint and stays with the leader afterwards', async () => {
    cluster = await startFakeCluster(3);
    const [m1, m2, m3] = cluster.masters;
    m1!.behaviour = 'follower';
    m2!.behaviour = 'follower';
    cluster.leaderAddress = m3!.address;
    client = new DroverClient({ masters: cluster.masters.map((m) => m.address), retry: fast });
    const created = await client.create(pod('web'));
    expect(created.metadata.resourceVersion).toBe('11');
    expect(client.currentMaster).toBe(m3!.address);
    await client.get('Pod', 'web');
    expect(m1!.calls).toEqual(['Create']);
    expect(m3!.calls).toEqual(['Create', 'Get']);
  });

  it('a hint that is not host:port (an actor path) is not dialled: the refused write goes to the next master', async () => {
    cluster = await startFakeCluster(2);
    const [m1, m2] = cluster.masters;
    m1!.behaviour = 'follower';
    cluster.leaderAddress = 'drover://m2/user/api';
    client = new DroverClient({ masters: [m1!.address, m2!.address], retry: fast });
    await client.create(pod('web'));
    expect(client.currentMaster).toBe(m2!.address);
    expect(m2!.calls).toEqual(['Create']);
  });

  it('moves on from a master that is down, for reads and writes (a refused connection sent nothing)', async () => {
    cluster = await startFakeCluster(2);
    const [m1, m2] = cluster.masters;
    await m1!.gateway.stop(0);
    client = new DroverClient({ masters: [m1!.address, m2!.address], retry: fast });
    await client.create(pod('a'));
    expect(client.currentMaster).toBe(m2!.address);
    expect((await client.list('Pod')).items).toHaveLength(1);
  });

  it('retries a read after a deadline on another master', async () => {
    cluster = await startFakeCluster(2);
    const [m1, m2] = cluster.masters;
    cluster.store.create(pod('a') as never);
    m1!.behaviour = 'hang';
    client = new DroverClient({ masters: [m1!.address, m2!.address], retry: { ...fast, deadlineMs: 200 } });
    const got = await client.get('Pod', 'a', { namespace: 'default' });
    expect(got.metadata.name).toBe('a');
    expect(m2!.calls).toEqual(['Get']);
  });

  it('never retries a write whose outcome is unknown (deadline): the error surfaces', async () => {
    cluster = await startFakeCluster(2);
    const [m1, m2] = cluster.masters;
    m1!.behaviour = 'hang';
    client = new DroverClient({ masters: [m1!.address, m2!.address], retry: { ...fast, deadlineMs: 200 } });
    const err = await client.create(pod('a')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('DEADLINE_EXCEEDED');
    expect(m2!.calls).toEqual([]);
    // The next call goes elsewhere.
    expect(client.currentMaster).toBe(m2!.address);
  });

  it('surfaces the master\'s own answers without retrying', async () => {
    cluster = await startFakeCluster(2);
    client = new DroverClient({ masters: cluster.masters.map((m) => m.address), retry: fast });
    const err = await client.get('Pod', 'nope').catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('NOT_FOUND');
    expect(cluster.masters[0]!.calls).toEqual(['Get']);
    expect(cluster.masters[1]!.calls).toEqual([]);
  });

  it('gives up after the retry budget when no master answers', async () => {
    cluster = await startFakeCluster(2);
    for (const m of cluster.masters) m.behaviour = 'follower';
    cluster.leaderAddress = cluster.masters[0]!.address;
    client = new DroverClient({ masters: cluster.masters.map((m) => m.address), retry: fast });
    const err = await client.list('Pod').catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('UNAVAILABLE');
    expect(cluster.masters[0]!.calls.length + cluster.masters[1]!.calls.length).toBe(fast.attemptsMax);
  });
});

describe('DroverClient: list pages and apply', () => {
  it('iterates pages with continue tokens', async () => {
    cluster = await startFakeCluster(1);
    for (const n of ['a', 'b', 'c', 'd', 'e']) cluster.store.create(pod(n) as never);
    client = new DroverClient({ masters: [cluster.masters[0]!.address], retry: fast });
    const names: string[][] = [];
    for await (const page of client.listPages('Pod', { limit: 2, namespace: 'default' })) names.push(page.items.map((o) => o.metadata.name));
    expect(names).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('creates, then configures, then leaves unchanged', async () => {
    cluster = await startFakeCluster(1);
    client = new DroverClient({ masters: [cluster.masters[0]!.address], retry: fast });
    expect((await client.apply(pod('web'))).action).toBe('created');
    expect((await client.apply(pod('web'))).action).toBe('unchanged');
    const r = await client.apply(pod('web', { app: 'web' }, 'nginx:2'));
    expect(r.action).toBe('configured');
    expect(r.object.metadata.resourceVersion).toBe('12');
    expect((await client.apply(pod('web', { app: 'other' }, 'nginx:2'))).action).toBe('configured');
  });
});

describe('DroverClient: apply under a concurrent writer', () => {
  it('reads again and retries when the update meets ABORTED', async () => {
    cluster = await startFakeCluster(1);
    const store = cluster.store;
    client = new DroverClient({ masters: [cluster.masters[0]!.address], retry: fast });
    await client.apply(pod('web'));
    let interfered = 0;
    store.beforeUpdate = () => {
      if (interfered++ > 0) return;
      // Someone else writes between the client's read and its update.
      store.beforeUpdate = undefined;
      const cur = store.get('Pod', 'default', 'web');
      store.update({ ...cur, metadata: { ...cur.metadata, annotations: { by: 'other' } } } as never);
    };
    const r = await client.apply(pod('web', { app: 'web' }, 'nginx:2'));
    expect(r.action).toBe('configured');
    expect(interfered).toBe(1);
    // One call: the master reads again and retries by itself.
    expect(cluster.masters[0]!.calls.filter((c) => c === 'Apply')).toHaveLength(2);
  });

  it(`gives up with ABORTED after ${APPLY_ATTEMPTS_MAX} conflicts`, async () => {
    cluster = await startFakeCluster(1);
    const store = cluster.store;
    client = new DroverClient({ masters: [cluster.masters[0]!.address], retry: fast });
    await client.apply(pod('web'));
    let updates = 0;
    store.beforeUpdate = () => {
      updates++;
      const hook = store.beforeUpdate;
      store.beforeUpdate = undefined;
      const cur = store.get('Pod', 'default', 'web');
      store.update({ ...cur } as never);
      store.beforeUpdate = hook;
    };
    await expect(client.apply(pod('web', { app: 'web' }, 'nginx:2'))).rejects.toMatchObject({ code: 'ABORTED' });
    expect(updates).toBe(APPLY_ATTEMPTS_MAX);
  });
});

describe('DroverClient: watch', () => {
  it('resumes after the last delivered revision across streams that end and masters that die: no gap, no duplicate', async () => {
    cluster = await startFakeCluster(3);
    const [m1, m2, m3] = cluster.masters;
    for (const m of cluster.masters) m.eventsPerStream = 2;
    client = new DroverClient({ masters: [m1!.address, m2!.address, m3!.address], retry: fast });
    const seen: WatchEvent[] = [];
    const w = client.watch('Pod', {}, (e) => seen.push(e));
    await waitFor(() => m1!.calls.includes('Watch'));
    for (let i = 0; i < 5; i++) cluster.store.create(pod(`p${i}`) as never);
    await waitFor(() => seen.length === 5);
    // The master dies: the client moves on and resumes from the last revision.
    await m1!.gateway.stop(0);
    for (let i = 5; i < 10; i++) cluster.store.create(pod(`p${i}`) as never);
    cluster.store.delete('Pod', 'default', 'p0');
    await waitFor(() => seen.length === 11);
    w.cancel();
    await w.done;
    expect(seen.map((e) => e.revision)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
    expect(seen.at(-1)!.type).toBe('DELETED');
    expect(w.lastRevision).toBe(21);
    expect(m2!.calls.filter((c) => c === 'Watch').length + m3!.calls.filter((c) => c === 'Watch').length).toBeGreaterThan(0);
  });

  it('ends with what the callback threw, instead of crashing inside gRPC', async () => {
    cluster = await startFakeCluster(1);
    client = new DroverClient({ masters: [cluster.masters[0]!.address], retry: fast });
    const w = client.watch('Pod', { resourceVersion: '10' }, () => {
      throw new Error('boom');
    });
    cluster.store.create(pod('a') as never);
    await expect(w.done).rejects.toThrow('boom');
  });

  it('a compacted start ends the watch with FAILED_PRECONDITION', async () => {
    cluster = await startFakeCluster(1);
    const m = cluster.masters[0]!;
    m.compactedBelow = 5;
    client = new DroverClient({ masters: [m.address], retry: fast });
    const w = client.watch('Pod', { resourceVersion: '2' }, () => undefined);
    await expect(w.done).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  it('starts from a given resourceVersion and replays what came after it', async () => {
    cluster = await startFakeCluster(1);
    for (let i = 0; i < 3; i++) cluster.store.create(pod(`p${i}`) as never);
    client = new DroverClient({ masters: [cluster.masters[0]!.address], retry: fast });
    const seen: number[] = [];
    const w = client.watch('Pod', { resourceVersion: '11' }, (e) => seen.push(e.revision));
    await waitFor(() => seen.length === 2);
    w.cancel();
    await w.done;
    expect(seen).toEqual([12, 13]);
  });
});
