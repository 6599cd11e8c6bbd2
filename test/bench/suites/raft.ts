// The raft figures (DESIGN.md, "Performance targets"): commits per second of
// three replica processes over NATS with fsync on, and leader failover after
// kill -9. Replicas: test/bench/workers/raft-replica.ts; the clients:
// test/bench/workers/raft-load.ts, a process of its own.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RaftStatus } from '../../../raft/index.js';
import { startNatsServer } from '../../../chaos/launcher/nats-server.js';
import { procCpuMs } from '../lib/proc-cpu.js';
import { emit, fmt, median, progress } from '../lib/report.js';
import type { Cleanup, Worker, WorkerMessage } from '../lib/workers.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined ? dflt : Number(v);
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const IDS = ['r1', 'r2', 'r3'];

interface ReplicaStats extends WorkerMessage {
  readonly fsyncs: number;
  readonly fsyncMs: number;
  readonly atomicWrites: number;
  readonly appendedBytes: number;
  readonly saves: number;
  readonly entriesSaved: number;
  readonly readies: number;
  readonly applied: number;
  readonly cpuMs: number;
}

type StatusesReply = WorkerMessage & { readonly statuses: (RaftStatus | null)[] };

class Cluster {
  readonly replicas = new Map<string, Worker>();
  load!: Worker;
  natsPid = 0;
  private natsUrl = '';
  private root = '';

  constructor(
    private readonly cleanup: Cleanup,
    readonly tickMs: number,
    readonly electionTicks: number,
  ) {}

  async start(): Promise<void> {
    const nats = await startNatsServer();
    this.cleanup.add(() => nats.stop());
    this.natsUrl = nats.url;
    this.natsPid = nats.process.pid!;
    this.root = await mkdtemp(join(tmpdir(), 'drover-bench-raft-'));
    const root = this.root;
    this.cleanup.add(() => rm(root, { recursive: true, force: true }));
    progress(`nats-server on ${nats.url}; WALs under ${root}; tick ${this.tickMs} ms, election ${this.electionTicks} ticks`);
    await Promise.all(IDS.map((id) => this.startReplica(id)));
    this.load = this.cleanup.worker('raft-load', 'raft-load.ts');
    await this.load.next('ready');
    await this.load.request({ type: 'init', url: this.natsUrl, ids: IDS }, 'inited');
  }

  /** Starts (or restarts, on the same data dir) one replica and waits for it. */
  async startReplica(id: string): Promise<void> {
    const args = [id, IDS.join(','), join(this.root, id), this.natsUrl, String(this.tickMs), String(this.electionTicks)];
    const w = this.cleanup.worker(`raft-${id}`, 'raft-replica.ts', { args });
    this.replicas.set(id, w);
    await w.next('ready', 30_000);
  }

  async statuses(): Promise<(RaftStatus | null)[]> {
    return (await this.load.request<StatusesReply>({ type: 'statuses' }, 'statuses-result')).statuses;
  }

  /** The leader every live replica agrees on. */
  async leader(timeoutMs = 20_000): Promise<RaftStatus> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const all = await this.statuses();
      const live = all.filter((s): s is RaftStatus => s !== null);
      const l = live.find((s) => s.role === 'leader');
      if (l && live.length === IDS.length && live.every((s) => s.lead === l.id && s.term === l.term)) return l;
      if (performance.now() > deadline) throw new Error(`no agreed leader within ${timeoutMs} ms: ${JSON.stringify(all)}`);
      await sleep(50);
    }
  }

  /** Waits until `id` follows `leader` and has applied everything the leader had committed. */
  async caughtUp(id: string, timeoutMs = 30_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const target = (await this.leader()).commit;
    for (;;) {
      const s = (await this.statuses())[IDS.indexOf(id)];
      if (s && s.applied >= target && s.lead !== '') return;
      if (performance.now() > deadline) throw new Error(`${id} did not catch up to ${target} within ${timeoutMs} ms: ${JSON.stringify(s)}`);
      await sleep(50);
    }
  }

  async replicaStats(): Promise<Record<string, ReplicaStats>> {
    const out: Record<string, ReplicaStats> = {};
    await Promise.all(IDS.map(async (id) => (out[id] = await this.replicas.get(id)!.request<ReplicaStats>({ type: 'stats' }, 'stats-result'))));
    return out;
  }
}

async function commits(c: Cluster): Promise<void> {
  const concurrency = env('BENCH_RAFT_PROPOSERS', 64);
  const bytes = env('BENCH_RAFT_ENTRY_BYTES', 100);
  const windows = env('BENCH_RAFT_WINDOWS', 3);
  const windowMs = env('BENCH_RAFT_WINDOW_MS', 5_000);
  const warmupMs = env('BENCH_RAFT_WARMUP_MS', 3_000);
  const before = await c.leader();
  progress(`raft.commits_per_s: leader ${before.id} (term ${before.term}); ${concurrency} proposers, ${bytes}-byte entries; warm-up ${warmupMs} ms, then ${windows} windows of ${windowMs} ms`);

  const started = c.load.next<WorkerMessage & { cpuMs: number }>('measure-start', 120_000);
  const ended = c.load.next<WorkerMessage & { cpuMs: number }>('measure-end', 120_000);
  const result = c.load.request<WorkerMessage & {
    rates: number[];
    latency: { count: number; p50: number; p90: number; p99: number; max: number };
    timeouts: number;
    refused: number;
    otherErrors: number;
  }>({ type: 'throughput', concurrency, bytes, warmupMs, windowMs, windows, timeoutMs: 5_000 }, 'throughput-result', 120_000 + warmupMs + windows * windowMs);

  const s0 = await started;
  const [r0, nats0, t0] = [await c.replicaStats(), procCpuMs(c.natsPid), performance.now()];
  const s1 = await ended;
  const [r1, nats1, t1] = [await c.replicaStats(), procCpuMs(c.natsPid), performance.now()];
  const r = await result;
  const after = await c.leader();
  const seconds = (t1 - t0) / 1000;

  // Where the time goes, per replica over the measured windows.
  const perReplica: Record<string, Record<string, number | string>> = {};
  for (const id of IDS) {
    const a = r0[id]!;
    const b = r1[id]!;
    const fsyncs = b.fsyncs - a.fsyncs;
    perReplica[id] = {
      role: id === after.id ? 'leader' : 'follower',
      cpu_pct: ((b.cpuMs - a.cpuMs) / 10 / seconds),
      fsyncs_per_s: fsyncs / seconds,
      fsync_mean_ms: fsyncs > 0 ? (b.fsyncMs - a.fsyncMs) / fsyncs : 0,
      entries_per_fsync: fsyncs > 0 ? (b.entriesSaved - a.entriesSaved) / fsyncs : 0,
      saves_per_s: (b.saves - a.saves) / seconds,
      readies_per_s: (b.readies - a.readies) / seconds,
      atomic_writes: b.atomicWrites - a.atomicWrites,
      wal_mb_per_s: (b.appendedBytes - a.appendedBytes) / 1e6 / seconds,
    };
  }
  const cpu = {
    load_pct: (s1.cpuMs - s0.cpuMs) / 10 / seconds,
    nats_pct: nats0 !== null && nats1 !== null ? (nats1 - nats0) / 10 / seconds : null,
  };
  progress(`  windows: ${r.rates.map(fmt).join(', ')} commits/s; p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms`);
  for (const [id, p] of Object.entries(perReplica)) progress(`  ${id}: ${JSON.stringify(p, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
  progress(`  cpu: load ${cpu.load_pct.toFixed(0)}%, nats-server ${cpu.nats_pct?.toFixed(0) ?? '?'}% (of one core)`);

  const settings = { tickMs: c.tickMs, electionTicks: c.electionTicks, heartbeatTicks: 1, fsync: true };
  const common = { ...settings, proposers: concurrency, entryBytes: bytes, windows, windowMs, warmupMs, leaderTerms: [before.term, after.term] };
  emit({
    bench: 'raft.commits_per_s',
    value: median(r.rates),
    unit: 'commits/s',
    details: { statistic: 'median', runs: r.rates, ...common, timeouts: r.timeouts, refused: r.refused, otherErrors: r.otherErrors, cpuPctOfOneCore: cpu, perReplica },
  });
  emit({ bench: 'raft.commit_p50_ms', value: r.latency.p50, unit: 'ms', details: { ...common, latency: r.latency } });
  emit({ bench: 'raft.commit_p99_ms', value: r.latency.p99, unit: 'ms', details: { ...common, latency: r.latency } });
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
}

async function failover(c: Cluster): Promise<void> {
  const rounds = env('BENCH_RAFT_FAILOVER_ROUNDS', 20);
  const probeEveryMs = env('BENCH_RAFT_PROBE_EVERY_MS', 10);
  if (rounds <= 0) return progress('raft.failover_p99_ms: skipped (BENCH_RAFT_FAILOVER_ROUNDS=0)');
  progress(`raft.failover_p99_ms: ${rounds} rounds of kill -9 of the leader; a proposal every ${probeEveryMs} ms`);
  const times: number[] = [];
  const rows: { victim: string; ms: number; oldTerm: number; newLeader: string; newTerm: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    const old = await c.leader();
    const victim = c.replicas.get(old.id)!;
    const r = await c.load.request<WorkerMessage & { ms: number | null; probes: number; failed: number }>(
      { type: 'failover', victimPid: victim.child.pid, probeEveryMs, timeoutMs: 2_000, leadInMs: 200, maxWaitMs: 15_000 },
      'failover-result',
      60_000,
    );
    if (r.ms === null) throw new Error(`round ${round + 1}: no proposal was committed within 15 s of killing ${old.id}`);
    await victim.stop();
    const survivors = await c.statuses();
    const now = survivors.find((s) => s?.role === 'leader');
    if (!now || now.term <= old.term) throw new Error(`round ${round + 1}: no new leader after killing ${old.id}: ${JSON.stringify(survivors)}`);
    times.push(r.ms);
    rows.push({ victim: old.id, ms: r.ms, oldTerm: old.term, newLeader: now.id, newTerm: now.term });
    progress(`  round ${round + 1}/${rounds}: killed ${old.id} (term ${old.term}); ${now.id} committed a proposal after ${r.ms.toFixed(0)} ms (term ${now.term})`);
    // Bring the victim back on its data dir and let it catch up before the next round.
    await c.startReplica(old.id);
    await c.caughtUp(old.id);
    await sleep(300);
  }
  const settings = { tickMs: c.tickMs, electionTicks: c.electionTicks, heartbeatTicks: 1, preVote: true, checkQuorum: true, probeEveryMs };
  emit({ bench: 'raft.failover_p99_ms', value: percentile(times, 0.99), unit: 'ms', details: { statistic: 'p99', rounds, runs: times, ...settings, perRound: rows } });
  emit({ bench: 'raft.failover_p50_ms', value: median(times), unit: 'ms', details: { statistic: 'median', rounds, runs: times, ...settings } });
}

export async function raftSuite(cleanup: Cleanup): Promise<void> {
  const c = new Cluster(cleanup, env('BENCH_RAFT_TICK_MS', 50), env('BENCH_RAFT_ELECTION_TICKS', 10));
  await c.start();
  await commits(c);
  await failover(c);
}
