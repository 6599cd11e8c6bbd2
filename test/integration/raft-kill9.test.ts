import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AskTimeoutError, type ActorSystem } from '../../actors/index.js';
import { NotLeaderError, ProposalDroppedError, ReplicaClient } from '../../raft/index.js';
import { sleep } from '../support/async.js';
import { Cleanup } from '../support/cleanup.js';
import { put } from '../support/kv-state-machine.js';
import { natsServerFor, startTestSystem, uniqueSystemName } from '../support/nats.js';
import type { TsChild } from '../support/ts-child.js';
import { findLeader, raftPath, startReplica, tempDir, waitConverged, type ReplicaSpec } from './fixtures/raft-cluster.js';

// Three replica processes over a real nats-server, each with a file WAL
// (fsync on) in its own temp dir. 64 clients in this process write unique
// keys; the leader is killed with SIGKILL mid-stream and later restarted on
// the same data dir. Afterwards every ACKNOWLEDGED write must be on all three
// replicas with its value, and the three maps must be identical. Writes that
// timed out (unknown outcome) may or may not be there; nothing else may be.

const IDS = ['m1', 'm2', 'm3'];
const WRITERS = 64;
/** Short, so writers leave a dead leader quickly; a timeout is an unknown outcome. */
const PROPOSE_TIMEOUT_MS = 1_000;

interface History {
  readonly acked: Map<string, string>;
  /** Timed out or dropped: may or may not have been committed. */
  readonly unknown: Map<string, string>;
  refused: number;
  readonly errors: string[];
}

/** One client: proposes unique keys until `running()` is false. */
async function writer(system: ActorSystem, n: number, running: () => boolean, h: History): Promise<void> {
  // Each writer starts at a different replica, and moves on after a timeout
  // (ReplicaClient keeps asking a dead leader until it answers otherwise).
  let start = n % IDS.length;
  const clientFrom = (i: number): ReplicaClient =>
    new ReplicaClient(system, [...IDS.slice(i), ...IDS.slice(0, i)].map(raftPath), { timeoutMs: PROPOSE_TIMEOUT_MS });
  let client = clientFrom(start);
  for (let seq = 0; running(); seq++) {
    const key = `w${n}-${seq}`;
    const value = `${key}:${Math.random().toString(36).slice(2, 10)}`;
    try {
      const r = await client.propose(put(key, value));
      if (r.result !== value) h.errors.push(`${key}: applied result ${JSON.stringify(r.result)}, expected ${value}`);
      h.acked.set(key, value);
    } catch (e) {
      if (e instanceof AskTimeoutError || e instanceof ProposalDroppedError) {
        h.unknown.set(key, value);
        start = (start + 1) % IDS.length;
        client = clientFrom(start);
      } else if (e instanceof NotLeaderError) {
        // Refused by every replica asked (no leader yet): never entered a log.
        h.refused++;
        await sleep(50);
      } else {
        h.errors.push(`${key}: ${String(e)}`);
        await sleep(50);
      }
    }
  }
}

describe('raft over real processes: kill -9 of the leader under 64 writers', () => {
  const cleanup = new Cleanup();
  let system: ActorSystem;
  const specs = new Map<string, ReplicaSpec>();
  const procs = new Map<string, TsChild>();

  beforeAll(async () => {
    const nats = await natsServerFor(cleanup);
    ({ system } = await startTestSystem(cleanup, nats.url, uniqueSystemName('raft-writers')));
    for (const id of IDS) {
      // Snapshots every 2,000 entries: the restarted replica may catch up by one.
      specs.set(id, { id, voters: IDS, dataDir: await tempDir(cleanup, `raft-${id}`), natsUrl: nats.url, env: { DROVER_RAFT_SNAPSHOT_EVERY: '2000', DROVER_RAFT_KEEP_ENTRIES: '500' } });
    }
    const started = await Promise.all(IDS.map((id) => startReplica(cleanup, specs.get(id)!)));
    for (const [i, id] of IDS.entries()) procs.set(id, started[i]!);
  });

  afterAll(() => cleanup.run());

  it('keeps every acknowledged write on all three replicas, identically', async () => {
    const first = await findLeader(system, IDS);
    const h: History = { acked: new Map(), unknown: new Map(), refused: 0, errors: [] };
    let running = true;
    const writers = Array.from({ length: WRITERS }, (_, n) => writer(system, n, () => running, h));

    await sleep(3_000);
    const ackedBeforeKill = h.acked.size;
    const victim = procs.get(first.id)!;
    const exit = await victim.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');

    await sleep(3_000);
    const survivors = IDS.filter((id) => id !== first.id);
    const second = await findLeader(system, survivors);
    expect(second.term).toBeGreaterThan(first.term);
    const ackedWhileDown = h.acked.size - ackedBeforeKill;

    // Same id, same data dir: it recovers its WAL and catches up from the leader.
    const restarted = await startReplica(cleanup, specs.get(first.id)!);
    procs.set(first.id, restarted);
    const recovered = await restarted.waitFor('wal-recovered');
    expect(recovered['entries'] as number).toBeGreaterThan(0);
    await sleep(2_000);

    running = false;
    await Promise.all(writers);
    const ackedTotal = h.acked.size;
    const views = await waitConverged(system, IDS, 15_000);
    if (process.env['DROVER_TEST_VERBOSE'] !== undefined) {
      const restoredFrom = restarted.events.filter((e) => e.event === 'sm-restored').map((e) => e['appliedIndex']);
      const counts = { ackedBeforeKill, ackedWhileDown, ackedTotal, unknown: h.unknown.size, refused: h.refused, appliedIndex: views[0]!.appliedIndex, killed: first.id, newLeader: second.id, restoredFrom };
      process.stderr.write(`[raft-kill9] ${JSON.stringify(counts)}\n`);
    }

    expect(h.errors).toEqual([]);
    expect(ackedBeforeKill).toBeGreaterThan(100);
    expect(ackedWhileDown).toBeGreaterThan(100);
    expect(ackedTotal).toBeGreaterThan(ackedBeforeKill + ackedWhileDown);

    const dumps = await Promise.all(IDS.map((id) => procs.get(id)!.request<{ appliedIndex: number; kv: [string, string][] }>({ cmd: 'dump' })));
    const maps = dumps.map((d) => new Map(d.kv));
    for (const [i, m] of maps.entries()) {
      const missing = [...h.acked].filter(([k, v]) => m.get(k) !== v);
      expect(missing.slice(0, 5), `${IDS[i]} lost or changed ${missing.length} acknowledged writes`).toEqual([]);
      const phantom = [...m.keys()].filter((k) => !h.acked.has(k) && !h.unknown.has(k));
      expect(phantom.slice(0, 5), `${IDS[i]} holds keys nobody wrote`).toEqual([]);
      for (const [k, v] of m) if (h.unknown.has(k)) expect(v).toBe(h.unknown.get(k));
    }
    expect(maps[1]).toEqual(maps[0]);
    expect(maps[2]).toEqual(maps[0]);
    expect(new Set(views.map((v) => v.digest)).size).toBe(1);
  });
});
