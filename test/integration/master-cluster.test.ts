import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from '../../core/api/index.js';
import { ApiError, type StreamCall } from '../../core/grpc/index.js';
import type { ListResult, WatchMessage } from '../../core/master/index.js';
import type { ClusterStatus } from '../../core/master/process/index.js';
import { sleep } from '../support/async.js';
import { Cleanup } from '../support/cleanup.js';
import { natsServerFor } from '../support/nats.js';
import { callWithRetry, httpGet, startMasterProc, waitReady, type MasterProc, type MasterSpec } from './fixtures/master-cluster.js';
import { tempDir } from './fixtures/raft-cluster.js';

// Three `drover master` processes over a real nats-server, each with a file
// WAL (fsync on) in its own temp dir, used over gRPC as a client would. The
// leader is killed with SIGKILL and restarted; then all three are, and every
// write the API acknowledged must still be there.

const IDS = ['m1', 'm2', 'm3'];

const pod = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'drover/v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

describe('drover master: three processes over NATS, used over gRPC', () => {
  const cleanup = new Cleanup();
  const specs = new Map<string, MasterSpec>();
  const procs = new Map<string, MasterProc>();
  const live = (): MasterProc[] => IDS.map((id) => procs.get(id)!).filter((m) => !m.child.hasExited);
  /** Names of every pod whose create the API acknowledged (and not deleted since). */
  const acked = new Set<string>();

  async function create(name: string): Promise<void> {
    try {
      const { value } = await callWithRetry<ApiObject>(live, 'Create', { object: pod(name) });
      expect(value.metadata.name).toBe(name);
    } catch (e) {
      // A retried create whose first attempt did commit: it is there.
      if (!(e instanceof ApiError && e.code === 'ALREADY_EXISTS')) throw e;
    }
    acked.add(name);
  }

  async function restart(id: string): Promise<MasterProc> {
    const m = await startMasterProc(cleanup, specs.get(id)!);
    procs.set(id, m);
    return m;
  }

  beforeAll(async () => {
    const nats = await natsServerFor(cleanup);
    for (const id of IDS) specs.set(id, { id, peers: IDS, natsUrl: nats.url, dataDir: await tempDir(cleanup, `master-${id}`) });
    await Promise.all(IDS.map(restart));
    await Promise.all(live().map((m) => waitReady(m)));
  }, 60_000);

  afterAll(() => cleanup.run(), 30_000);

  it('answers /healthz, /readyz and /metrics', async () => {
    const m = procs.get('m2')!;
    expect(await httpGet(m.http, '/healthz')).toMatchObject({ status: 200 });
    expect(await httpGet(m.http, '/readyz')).toMatchObject({ status: 200 });
    const metrics = await httpGet(m.http, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/drover_raft_term\{master="m2"\} [1-9]/);
    expect(metrics.body).toContain('drover_raft_commit_index');
    expect(metrics.body).toContain('drover_raft_apply_lag_entries');
  });

  it('creates on one master, reads on another, streams changes, and maps errors to gRPC codes', async () => {
    const [m1, m2, m3] = IDS.map((id) => procs.get(id)!);
    const seen: WatchMessage[] = [];
    // From the revision of a list: no change after it can be missed, however late the watch starts.
    const { resourceVersion } = await m3!.api.unary<ListResult>('List', { kind: 'Pod', namespace: 'default' });
    const watch: StreamCall = m3!.api.stream<WatchMessage>('Watch', { kind: 'Pod', namespace: 'default', resourceVersion }, (m) => seen.push(m));

    const created = (await callWithRetry<ApiObject>(() => [m1!], 'Create', { object: pod('web-1', { app: 'web' }) })).value;
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const got = await m2!.api.unary<ApiObject>('Get', { kind: 'Pod', namespace: 'default', name: 'web-1' });
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);

    const labelled = { ...got, metadata: { ...got.metadata, labels: { app: 'web', tier: 'front' } } };
    const updated = await m2!.api.unary<ApiObject>('Update', { object: labelled });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));

    const stale = await m3!.api.unary('Update', { object: labelled }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ApiError);
    expect(stale).toMatchObject({ code: 'ABORTED', details: { objectKey: '/registry/pods/default/web-1', expectedRevision: created.metadata.resourceVersion, actualRevision: updated.metadata.resourceVersion } });

    const invalid = await m1!.api.unary('Create', { object: { ...pod('Bad_Name'), spec: { containers: [] } } }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((invalid as ApiError).details.violations?.map((v) => v.path)).toContain('metadata.name');

    expect(await m2!.api.unary('Create', { object: pod('web-1') }).catch((e: unknown) => e)).toMatchObject({ code: 'ALREADY_EXISTS' });
    await m1!.api.unary('Delete', { kind: 'Pod', namespace: 'default', name: 'web-1' });
    expect(await m3!.api.unary('Get', { kind: 'Pod', namespace: 'default', name: 'web-1' }).catch((e: unknown) => e)).toMatchObject({ code: 'NOT_FOUND' });

    for (let i = 0; i < 50 && seen.length < 3; i++) await sleep(50);
    watch.cancel();
    await watch.done;
    expect(seen.map((m) => (m.type === 'watch-event' ? `${m.event} ${m.object.metadata.name} ${m.revision}` : m.type))).toEqual([
      `ADDED web-1 ${created.metadata.resourceVersion}`,
      `MODIFIED web-1 ${updated.metadata.resourceVersion}`,
      expect.stringMatching(/^DELETED web-1 \d+$/),
    ]);

    const status = await m1!.api.unary<ClusterStatus>('ClusterStatus', {});
    expect(status.leader).toMatch(/^m[123]$/);
    expect(status.masters.map((m) => m.reachable)).toEqual([true, true, true]);
    expect(status.term).toBeGreaterThan(0);
    expect(status.commit).toBeGreaterThan(0);

    // Every call was timed, by method and code.
    const metrics = (await httpGet(m1!.http, '/metrics')).body;
    expect(metrics).toMatch(/drover_api_request_duration_seconds_count\{master="m1",method="Create",code="OK"\} [1-9]/);
    expect(metrics).toMatch(/drover_api_request_duration_seconds_count\{master="m1",method="Create",code="INVALID_ARGUMENT"\} 1/);
  });

  it('keeps serving writes after kill -9 of the leader, and the leader rejoins', async () => {
    for (let i = 0; i < 5; i++) await create(`before-${i}`);
    const { leader } = (await callWithRetry<ClusterStatus>(live, 'ClusterStatus', {})).value;
    const victim = procs.get(leader)!;
    expect((await victim.child.kill('SIGKILL')).signal).toBe('SIGKILL');

    // Writes resume on the survivors once they elect a new leader: eight
    // writers, each retrying UNAVAILABLE and DEADLINE_EXCEEDED.
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 3; i++) await create(`during-${w}-${i}`);
    }));
    const after = (await callWithRetry<ClusterStatus>(live, 'ClusterStatus', {})).value;
    expect(after.leader).not.toBe(leader);
    expect(after.leader).not.toBe('');

    const back = await restart(leader);
    await waitReady(back);
    for (let i = 0; i < 3; i++) await create(`rejoined-${i}`);
    // The restarted master serves a linearizable read of everything so far.
    const list = (await callWithRetry<ListResult>(() => [back], 'List', { kind: 'Pod', namespace: 'default' })).value;
    expect(list.items.map((p) => p.metadata.name).sort()).toEqual([...acked].sort());
  });

  it('loses no acknowledged write when all three are killed -9 and restarted', async () => {
    for (let i = 0; i < 5; i++) await create(`last-${i}`);
    await Promise.all(live().map((m) => m.child.kill('SIGKILL')));
    // One master of three cannot elect a leader: up, but not ready.
    const first = await restart(IDS[0]!);
    await sleep(1_500);
    expect(await httpGet(first.http, '/healthz')).toMatchObject({ status: 200 });
    expect(await httpGet(first.http, '/readyz')).toMatchObject({ status: 503, body: expect.stringContaining('no raft leader') });
    await Promise.all(IDS.slice(1).map(restart));
    await Promise.all(live().map((m) => waitReady(m)));
    for (const m of live()) {
      const list = (await callWithRetry<ListResult>(() => [m], 'List', { kind: 'Pod', namespace: 'default' })).value;
      expect(list.items.map((p) => p.metadata.name).sort(), `on ${m.id}`).toEqual([...acked].sort());
    }
    // And it still takes writes.
    await create('after-restart');
  });
});
