import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, DroverClient, classifyFailure, type ListResult, type WatchEvent, type WatchHandle } from '../../core/client/index.js';
import type { ClusterStatus } from '../../core/master/process/index.js';
import { sleep } from '../support/async.js';
import { Cleanup } from '../support/cleanup.js';
import { natsServerFor } from '../support/nats.js';
import { callWithRetry, startMasterProc, waitReady, type MasterProc, type MasterSpec } from './fixtures/master-cluster.js';
import { tempDir } from './fixtures/raft-cluster.js';

// Issue 5, section 5: nats-server + three `drover master` processes; 64
// writers, each with its own DroverClient, create pods while the leader is
// killed with SIGKILL and restarted. Every acknowledged write must be readable
// on every master afterwards, and two watchers must see every revision once.

const IDS = ['m1', 'm2', 'm3'];
const NS = 'failover';
const WRITERS = 64;
const BEFORE_KILL_MS = 2_000;
const AFTER_KILL_MS = 3_000;

const pod = (name: string) => ({
  apiVersion: 'drover/v1' as const,
  kind: 'Pod' as const,
  metadata: { name, namespace: NS },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

interface Watcher {
  readonly label: string;
  readonly client: DroverClient;
  readonly handle: WatchHandle;
  readonly events: WatchEvent[];
}

describe('drover master: kill -9 of the leader during 64 concurrent writers', () => {
  const cleanup = new Cleanup();
  const specs = new Map<string, MasterSpec>();
  const procs = new Map<string, MasterProc>();

  async function start(id: string): Promise<MasterProc> {
    const m = await startMasterProc(cleanup, specs.get(id)!);
    procs.set(id, m);
    return m;
  }

  beforeAll(async () => {
    const nats = await natsServerFor(cleanup);
    for (const id of IDS) specs.set(id, { id, peers: IDS, natsUrl: nats.url, dataDir: await tempDir(cleanup, `failover-${id}`) });
    await Promise.all(IDS.map(start));
    await Promise.all(IDS.map((id) => waitReady(procs.get(id)!)));
  }, 60_000);

  afterAll(() => cleanup.run(), 30_000);

  it('loses no acknowledged write, and watchers see every revision exactly once', async () => {
    const live = (): MasterProc[] => IDS.map((id) => procs.get(id)!).filter((m) => !m.child.hasExited);
    const { leader } = (await callWithRetry<ClusterStatus>(live, 'ClusterStatus', {})).value;
    expect(leader).toMatch(/^m[123]$/);
    const leaderAddr = procs.get(leader)!.grpc;
    const followerAddrs = IDS.filter((id) => id !== leader).map((id) => procs.get(id)!.grpc);
    // The addresses the clients know: the masters as first started.
    const addresses = IDS.map((id) => procs.get(id)!.grpc);
    const retry = { deadlineMs: 2_000, backoffMaxMs: 300 };
    const newClient = (first: readonly string[]): DroverClient => {
      const c = new DroverClient({ masters: first, retry });
      cleanup.add('a DroverClient', () => c.close());
      return c;
    };

    // Two watchers from the revision of an initial list: one talking to the
    // leader (its stream dies with it), one to a follower.
    const initial = await newClient(addresses).list('Pod', { namespace: NS });
    expect(initial.items).toEqual([]);
    const watchers: Watcher[] = [
      { label: 'on the leader', first: [leaderAddr, ...followerAddrs] },
      { label: 'on a follower', first: [...followerAddrs, leaderAddr] },
    ].map(({ label, first }) => {
      const client = newClient(first);
      const events: WatchEvent[] = [];
      const handle = client.watch('Pod', { namespace: NS, resourceVersion: initial.resourceVersion }, (ev) => events.push(ev));
      cleanup.add(`watch ${label}`, () => handle.cancel());
      return { label, client, handle, events };
    });
    // A watch that fails (for instance runs out of retries) fails the test.
    const watchFailures: unknown[] = [];
    for (const w of watchers) w.handle.done.catch((e: unknown) => watchFailures.push(`${w.label}: ${String(e)}`));

    // 64 writers, each with its own client, starting on different masters.
    const attempted = new Set<string>();
    const acked = new Set<string>();
    const unknown = new Set<string>();
    const ackedAfterKill = new Set<string>();
    let killedAt = Number.POSITIVE_INFINITY;
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      const client = newClient(addresses.map((_, i) => addresses[(i + w) % addresses.length]!));
      for (let n = 0; !stop; n++) {
        const name = `w${w}-${n}`;
        attempted.add(name);
        let tries = 0;
        // The same name until the API answers; an outcome left unknown stays so.
        for (;;) {
          tries++;
          try {
            await client.create(pod(name));
            break;
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            // A retry whose earlier attempt did commit: it is there.
            if (e.code === 'ALREADY_EXISTS' && tries > 1) break;
            if (classifyFailure(e) === 'final') throw new Error(`create ${name} (try ${tries}): ${e.code} ${e.message}`, { cause: e });
            unknown.add(name);
            if (stop) return;
            await sleep(50);
          }
        }
        unknown.delete(name);
        acked.add(name);
        if (Date.now() > killedAt) ackedAfterKill.add(name);
      }
    };
    const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing.catch(() => (stop = true));

    await sleep(BEFORE_KILL_MS);
    const ackedBeforeKill = acked.size;
    const victim = procs.get(leader)!;
    killedAt = Date.now();
    expect((await victim.child.kill('SIGKILL')).signal).toBe('SIGKILL');
    await sleep(AFTER_KILL_MS);
    const back = await start(leader);
    await waitReady(back);
    stop = true;
    await writing;

    expect(ackedBeforeKill).toBeGreaterThan(0);
    expect(ackedAfterKill.size, 'writes acknowledged after the kill').toBeGreaterThan(0);
    const newStatus = (await callWithRetry<ClusterStatus>(live, 'ClusterStatus', {})).value;
    expect(newStatus.leader).not.toBe('');

    // Every master (the restarted one too) serves a linearizable list holding
    // every acknowledged write and nothing no writer attempted.
    let final: ListResult | undefined;
    for (const m of live()) {
      const list = (await callWithRetry<ListResult>(() => [m], 'List', { kind: 'Pod', namespace: NS })).value;
      const names = list.items.map((p) => p.metadata.name);
      expect(new Set(names).size, `no duplicate names on ${m.id}`).toBe(names.length);
      expect([...acked].filter((n) => !names.includes(n)), `acknowledged but missing on ${m.id}`).toEqual([]);
      expect(names.filter((n) => !attempted.has(n)), `never attempted but present on ${m.id}`).toEqual([]);
      if (final) expect(names.sort(), `${m.id} agrees with the others`).toEqual(final.items.map((p) => p.metadata.name).sort());
      else final = list;
    }
    const listed = final!.items;
    const listedNames = listed.map((p) => p.metadata.name).sort();
    const listedRevisions = listed.map((p) => Number(p.metadata.resourceVersion)).sort((a, b) => a - b);
    const lastRevision = listedRevisions[listedRevisions.length - 1]!;
    expect(listedNames.length).toBeGreaterThanOrEqual(acked.size);
    // The unknowns that did commit are there, the others are not: both allowed.
    expect(listedNames.length).toBeLessThanOrEqual(acked.size + unknown.size);

    // The watchers catch up to the last revision, then nothing more arrives.
    const deadline = Date.now() + 15_000;
    while (watchers.some((w) => w.handle.lastRevision < lastRevision) && watchFailures.length === 0 && Date.now() < deadline) await sleep(100);
    await sleep(300);
    expect(watchFailures).toEqual([]);
    for (const w of watchers) {
      const revisions = w.events.map((e) => e.revision);
      expect(w.handle.lastRevision, `watcher ${w.label} caught up`).toBeGreaterThanOrEqual(lastRevision);
      expect(revisions.every((r, i) => i === 0 || r > revisions[i - 1]!), `watcher ${w.label}: strictly increasing revisions`).toBe(true);
      expect(w.events.filter((e) => e.type !== 'ADDED').map((e) => `${e.type} ${e.object.metadata.name}`), `watcher ${w.label}: only ADDED`).toEqual([]);
      expect(revisions, `watcher ${w.label}: every revision once`).toEqual(listedRevisions);
      expect(w.events.map((e) => e.object.metadata.name).sort(), `watcher ${w.label}: the pods listed`).toEqual(listedNames);
    }
    for (const w of watchers) {
      w.handle.cancel();
      await w.handle.done;
    }
  }, 45_000);
});
