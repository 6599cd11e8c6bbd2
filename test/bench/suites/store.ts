// The store figures (issue 5, section 6): API writes per second through the
// gRPC API of three `drover master` processes (NATS, file WAL with fsync on),
// their latency, and failover after kill -9 of the leading master; the peer in
// the same run is a three-member etcd 3.4 cluster on 127.0.0.1 (fsync on, its
// default), driven by the etcd3 npm client the same way. The clients live in
// a load process of their own: test/bench/workers/store-load.ts.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { registerChild, stopChild } from '../../../chaos/launcher/child-registry.js';
import { startNatsServer } from '../../../chaos/launcher/nats-server.js';
import { GrpcConnection } from '../../../core/grpc/index.js';
import { API_SERVICE_NAME, API_SERVICE_SPEC } from '../../../core/master/index.js';
import { DEFAULT_MASTER_CONFIG, type ClusterStatus } from '../../../core/master/process/index.js';
import { TsChild } from '../../support/ts-child.js';
import { procCpuMs } from '../lib/proc-cpu.js';
import { buildDrover, DROVER } from '../lib/build.js';
import { emit, fmt, median, percentile, progress } from '../lib/report.js';
import type { Cleanup, Worker, WorkerMessage } from '../lib/workers.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined ? dflt : Number(v);
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const MASTERS = ['m1', 'm2', 'm3'];
const MEMBERS = ['e1', 'e2', 'e3'];

/** A free TCP port on 127.0.0.1 (closed again before it is used). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}



/** The system under test or its peer: three servers, their pids, a leader, restarts. */
interface Cluster {
  readonly name: string;
  readonly addresses: string[];
  readonly settings: Record<string, unknown>;
  /** The id of the leader every live server agrees on. */
  leader(timeoutMs?: number): Promise<string>;
  pid(id: string): number;
  /** Every server process, and any process the cluster needs besides (nats-server), by name. */
  processes(): Record<string, number>;
  /** Waits for the (killed) server's process to be gone, restarts it on its data dir and waits until it follows the leader. */
  restart(id: string): Promise<void>;
}

class DroverCluster implements Cluster {
  readonly name = 'drover';
  addresses: string[] = [];
  readonly procs = new Map<string, { child: TsChild; grpc: string; http: string; api: GrpcConnection }>();
  readonly settings: Record<string, unknown>;
  private natsUrl = '';
  private natsPid = 0;

  constructor(
    private readonly cleanup: Cleanup,
    private readonly root: string,
    private readonly tickMs: number,
    private readonly electionTicks: number,
  ) {
    this.settings = { tickMs, electionTicks, fsync: true };
  }

  async start(): Promise<void> {
    progress('drover: building dist/ (tsc -p tsconfig.build.json)');
    buildDrover();
    const nats = await startNatsServer();
    this.cleanup.add(() => nats.stop());
    this.natsUrl = nats.url;
    this.natsPid = nats.process.pid ?? 0;
    await Promise.all(MASTERS.map((id) => this.startMaster(id)));
    // A master's gRPC address is fixed by its first start (port 0 picks one); restarts reuse it.
    this.addresses = MASTERS.map((id) => this.procs.get(id)!.grpc);
    await Promise.all(MASTERS.map((id) => this.ready(id)));
    progress(`drover: nats-server on ${nats.url}; masters ${this.addresses.join(', ')}; data under ${this.root}`);
  }

  private async startMaster(id: string, grpcPort = 0): Promise<void> {
    const dataDir = join(this.root, id);
    mkdirSync(dataDir, { recursive: true });
    const args = ['master', '--id', id, '--peers', MASTERS.join(','), '--nats', this.natsUrl, '--data-dir', dataDir];
    args.push('--grpc-port', String(grpcPort), '--http-port', '0', '--host', '127.0.0.1');
    args.push('--tick-ms', String(this.tickMs), '--election-ticks', String(this.electionTicks));
    const child = TsChild.spawn(DROVER, { label: `master ${id}`, args, compiled: true });
    this.cleanup.add(() => child.stop().then(() => undefined));
    const e = await child.waitFor('listening', 30_000);
    const api = new GrpcConnection(e['grpc'] as string, API_SERVICE_NAME, API_SERVICE_SPEC);
    this.cleanup.add(() => Promise.resolve(api.close()));
    this.procs.get(id)?.api.close();
    this.procs.set(id, { child, grpc: e['grpc'] as string, http: e['http'] as string, api });
  }

  private async ready(id: string, timeoutMs = 30_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const http = this.procs.get(id)!.http;
    for (;;) {
      const ok = await fetch(`http://${http}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) return;
      if (performance.now() > deadline) throw new Error(`master ${id} not ready within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  async leader(timeoutMs = 20_000): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const live = MASTERS.filter((id) => !this.procs.get(id)!.child.hasExited);
      const st = await Promise.all(live.map((id) => this.procs.get(id)!.api.unary<ClusterStatus>('ClusterStatus', {}, { deadlineMs: 1_000 }).catch(() => null)));
      const l = st[0]?.leader;
      if (l && live.length === MASTERS.length && st.every((s) => s?.leader === l)) return l;
      if (performance.now() > deadline) throw new Error(`drover: no agreed leader within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  pid(id: string): number {
    return this.procs.get(id)!.child.pid;
  }
  processes(): Record<string, number> {
    return { ...Object.fromEntries(MASTERS.map((id) => [id, this.pid(id)])), 'nats-server': this.natsPid };
  }


  async restart(id: string): Promise<void> {
    await this.procs.get(id)!.child.kill('SIGKILL');
    const port = Number(this.procs.get(id)!.grpc.split(':').at(-1));
    await this.startMaster(id, port);
    await this.ready(id);
    await this.leader();
  }
}

class EtcdCluster implements Cluster {
  readonly name = 'etcd 3.4';
  addresses: string[] = [];
  private peerUrls: string[] = [];
  private readonly children = new Map<string, ChildProcess>();
  private readonly clients = new Map<string, Etcd3>();
  readonly settings: Record<string, unknown> = { heartbeatMs: 100, electionMs: 1_000, fsync: true };
  version = '';

  constructor(
    private readonly cleanup: Cleanup,
    private readonly root: string,
    private readonly binary: string,
  ) {}

  async start(): Promise<void> {
    this.version = spawnSync(this.binary, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
    const ports = await Promise.all(MEMBERS.flatMap(() => [freePort(), freePort()]));
    this.addresses = MEMBERS.map((_, i) => `127.0.0.1:${ports[2 * i]}`);
    this.peerUrls = MEMBERS.map((_, i) => `http://127.0.0.1:${ports[2 * i + 1]}`);
    MEMBERS.forEach((id, i) => {
      const c = new Etcd3({ hosts: [`http://${this.addresses[i]}`] });
      this.clients.set(id, c);
      this.cleanup.add(() => Promise.resolve(c.close()));
    });
    for (const id of MEMBERS) this.startMember(id);
    await this.leader(30_000);
    progress(`etcd: ${this.version} (${this.binary}); members ${this.addresses.join(', ')}; data under ${this.root}`);
  }

  private startMember(id: string): void {
    const i = MEMBERS.indexOf(id);
    const log = openSync(join(this.root, `${id}.log`), 'a');
    const child = spawn(
      this.binary,
      [
        '--name', id,
        '--data-dir', join(this.root, id),
        '--listen-client-urls', `http://${this.addresses[i]}`,
        '--advertise-client-urls', `http://${this.addresses[i]}`,
        '--listen-peer-urls', this.peerUrls[i]!,
        '--initial-advertise-peer-urls', this.peerUrls[i]!,
        '--initial-cluster', MEMBERS.map((m, j) => `${m}=${this.peerUrls[j]}`).join(','),
        '--initial-cluster-token', 'drover-bench',
        '--initial-cluster-state', 'new',
        '--logger', 'zap',
        '--log-level', 'warn',
      ],
      { stdio: ['ignore', log, log], detached: true },
    );
    closeSync(log);
    registerChild(child);
    this.cleanup.add(() => stopChild(child, 2_000));
    this.children.set(id, child);
  }

  private async status(id: string): Promise<{ self: string; leader: string } | null> {
    try {
      const s = await Promise.race([this.clients.get(id)!.maintenance.status(), sleep(1_000).then(() => null)]);
      return s ? { self: String(s.header.member_id), leader: String(s.leader) } : null;
    } catch {
      return null;
    }
  }

  async leader(timeoutMs = 20_000): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const st = await Promise.all(MEMBERS.map((id) => this.status(id)));
      const l = st[0]?.leader;
      if (l && l !== '0' && st.every((s) => s?.leader === l)) {
        const i = st.findIndex((s) => s!.self === l);
        if (i >= 0) return MEMBERS[i]!;
      }
      if (performance.now() > deadline) throw new Error(`etcd: no agreed leader within ${timeoutMs} ms: ${JSON.stringify(st)}`);
      await sleep(50);
    }
  }

  pid(id: string): number {
    return this.children.get(id)!.pid!;
  }
  processes(): Record<string, number> {
    return Object.fromEntries(['e1', 'e2', 'e3'].map((id) => [id, this.pid(id)]));
  }


  async restart(id: string): Promise<void> {
    await stopChild(this.children.get(id)!, 100);
    this.startMember(id);
    await this.leader(30_000);
  }
}

interface ThroughputResult extends WorkerMessage {
  readonly rates: number[];
  readonly cpuPctOfOneCore?: Record<string, number | null>;
  readonly cpuUsPerWrite?: { servers: number; load: number };
  readonly latency: { count: number; p50: number; p90: number; p99: number; max: number };
  readonly errors: Record<string, number>;
}

interface Timing {
  readonly warmupMs: number;
  readonly windows: number;
  readonly windowMs: number;
}

async function throughput(c: Cluster, load: Worker): Promise<ThroughputResult & { settings: Record<string, unknown> }> {
  const timing = { windows: env('BENCH_STORE_WINDOWS', 3), windowMs: env('BENCH_STORE_WINDOW_MS', 5_000), warmupMs: env('BENCH_STORE_WARMUP_MS', 3_000) };
  const leader = await c.leader();
  const r = await measure(c.name, `leader ${leader}`, c.processes(), load, timing);
  return { ...r, settings: { ...c.settings, ...r.settings } };
}

/**
 * `concurrency` write loops of the load process against servers whose
 * processes are `servers`, with the CPU of every process over the measured
 * windows (from the parent's clock, so the edges are approximate): where a
 * write's cost goes.
 */
async function measure(name: string, about: string, servers: Record<string, number>, load: Worker, timing: Timing): Promise<ThroughputResult & { settings: Record<string, unknown> }> {
  const concurrency = env('BENCH_STORE_CLIENTS', 64);
  const bytes = env('BENCH_STORE_VALUE_BYTES', 100);
  const { windows, windowMs, warmupMs } = timing;
  progress(`${name}: ${concurrency} clients, ${bytes}-byte values; ${about}; warm-up ${warmupMs} ms, then ${windows} windows of ${windowMs} ms`);
  const procs = { ...servers, load: load.child.pid ?? 0 };
  const sample = () => Object.fromEntries(Object.entries(procs).map(([name, pid]) => [name, procCpuMs(pid)]));
  let cpu0: Record<string, number | null> = {};
  let cpu1: Record<string, number | null> = {};
  const t0 = setTimeout(() => (cpu0 = sample()), warmupMs);
  const t1 = setTimeout(() => (cpu1 = sample()), warmupMs + windows * windowMs);
  const r = await load.request<ThroughputResult>(
    { type: 'throughput', concurrency, bytes, warmupMs, windowMs, windows, timeoutMs: 5_000 },
    'throughput-result',
    60_000 + warmupMs + windows * windowMs,
  );
  clearTimeout(t0);
  clearTimeout(t1);
  const seconds = (windows * windowMs) / 1_000;
  const cpuPctOfOneCore = Object.fromEntries(
    Object.keys(procs).map((name) => {
      const a = cpu0[name];
      const b = cpu1[name];
      return [name, a == null || b == null ? null : Math.round((b - a) / 10 / seconds)];
    }),
  );
  const writes = median(r.rates);
  // CPU microseconds per acknowledged write, summed over the servers (and nats-server), and in the load process.
  const serverPct = Object.entries(cpuPctOfOneCore).filter(([n]) => n !== 'load').reduce((sum, [, v]) => sum + (v ?? 0), 0);
  const cpuUsPerWrite = { servers: Math.round((serverPct * 10_000) / writes), load: Math.round(((cpuPctOfOneCore['load'] ?? 0) * 10_000) / writes) };
  progress(`  ${name}: windows ${r.rates.map(fmt).join(', ')} writes/s; p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms; errors ${JSON.stringify(r.errors)}`);
  progress(`  ${name}: cpu % of one core ${JSON.stringify(cpuPctOfOneCore)}; cpu µs per write ${JSON.stringify(cpuUsPerWrite)}`);
  return { ...r, cpuPctOfOneCore, cpuUsPerWrite, settings: { clients: concurrency, valueBytes: bytes, windows, windowMs, warmupMs } };
}

async function failover(c: Cluster, load: Worker, rounds: number): Promise<{ times: number[]; rows: Record<string, unknown>[] }> {
  const probeEveryMs = env('BENCH_STORE_PROBE_EVERY_MS', 10);
  const times: number[] = [];
  const rows: Record<string, unknown>[] = [];
  for (let round = 0; round < rounds; round++) {
    const old = await c.leader();
    const r = await load.request<WorkerMessage & { ms: number | null; probes: number; failed: number }>(
      { type: 'failover', victimPid: c.pid(old), probeEveryMs, timeoutMs: 2_000, leadInMs: 200, maxWaitMs: 15_000, round },
      'failover-result',
      60_000,
    );
    if (r.ms === null) throw new Error(`${c.name} round ${round + 1}: no write acknowledged within 15 s of killing ${old}`);
    times.push(r.ms);
    rows.push({ victim: old, ms: r.ms, probes: r.probes, failed: r.failed });
    progress(`  ${c.name} round ${round + 1}/${rounds}: killed ${old}; first write acknowledged after ${r.ms.toFixed(0)} ms`);
    await c.restart(old);
    await sleep(500);
  }
  return { times, rows };
}

/**
 * The same load process and loops against Drover's gRPC edge alone (a server
 * whose handlers echo the object at once; test/bench/workers/grpc-echo.ts):
 * what the API calls cost before any store work, measured in the same run.
 */
async function grpcFloor(cleanup: Cleanup): Promise<Record<string, unknown>> {
  const server = cleanup.worker('grpc-echo', 'grpc-echo.ts');
  await server.next('ready');
  const { address } = await server.request<WorkerMessage & { address: string }>({ type: 'start' }, 'started');
  const load = cleanup.worker('store-load-floor', 'store-load.ts');
  await load.next('ready');
  await load.request({ type: 'init', system: 'drover', addresses: [address, address, address] }, 'inited');
  const timing = { warmupMs: 3_000, windows: 3, windowMs: env('BENCH_STORE_FLOOR_WINDOW_MS', 2_000) };
  const r = await measure('grpc floor', `an echo server at ${address}`, { echo: server.child.pid ?? 0 }, load, timing);
  await load.stop();
  await server.stop();
  const us = r.cpuUsPerWrite ?? { servers: 0, load: 0 };
  return { callsPerS: median(r.rates), cpuPctOfOneCore: r.cpuPctOfOneCore, cpuUsPerCall: { server: us.servers, load: us.load }, latency: r.latency, ...timing };
}

function etcdBinary(): string {
  for (const b of [process.env['BENCH_ETCD'], 'etcd', '/usr/bin/etcd'].filter((x): x is string => !!x)) {
    if (spawnSync(b, ['--version'], { encoding: 'utf8' }).status === 0) return b;
  }
  throw new Error('no etcd binary: `apt-get install -y etcd-server` (Debian, etcd 3.4) or set BENCH_ETCD');
}

export async function storeSuite(cleanup: Cleanup): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'drover-bench-store-'));
  cleanup.add(() => rm(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'drover'));
  mkdirSync(join(root, 'etcd'));
  const drover = new DroverCluster(cleanup, join(root, 'drover'), env('BENCH_STORE_TICK_MS', DEFAULT_MASTER_CONFIG.tickMs), env('BENCH_STORE_ELECTION_TICKS', DEFAULT_MASTER_CONFIG.electionTicks));
  const etcd = new EtcdCluster(cleanup, join(root, 'etcd'), etcdBinary());
  await drover.start();
  await etcd.start();

  const dLoad = cleanup.worker('store-load-drover', 'store-load.ts');
  await dLoad.next('ready');
  await dLoad.request({ type: 'init', system: 'drover', addresses: drover.addresses }, 'inited');
  const eLoad = cleanup.worker('store-load-etcd', 'store-load.ts');
  await eLoad.next('ready');
  await eLoad.request({ type: 'init', system: 'etcd', addresses: etcd.addresses }, 'inited');

  const d = await throughput(drover, dLoad);
  const e = await throughput(etcd, eLoad);
  const floor = env('BENCH_STORE_FLOOR', 1) > 0 ? await grpcFloor(cleanup) : null;
  const peer = { etcdVersion: etcd.version, etcdSettings: etcd.settings, etcdRuns: e.rates, etcdLatency: e.latency, etcdErrors: e.errors, etcdCpuPctOfOneCore: e.cpuPctOfOneCore, etcdCpuUsPerWrite: e.cpuUsPerWrite };
  emit({
    bench: 'store.writes_per_s',
    value: median(d.rates),
    unit: 'writes/s',
    peer: { name: 'etcd 3.4', value: median(e.rates), better: 'higher' },
    details: { statistic: 'median', runs: d.rates, ...d.settings, errors: d.errors, cpuPctOfOneCore: d.cpuPctOfOneCore, cpuUsPerWrite: d.cpuUsPerWrite, ...peer, ...(floor ? { grpcFloor: floor } : {}) },
  });
  emit({
    bench: 'store.write_p50_ms',
    value: d.latency.p50,
    unit: 'ms',
    peer: { name: 'etcd 3.4', value: e.latency.p50, better: 'lower' },
    details: { latency: d.latency, ...d.settings, ...peer },
  });
  emit({
    bench: 'store.write_p99_ms',
    value: d.latency.p99,
    unit: 'ms',
    peer: { name: 'etcd 3.4', value: e.latency.p99, better: 'lower' },
    details: { latency: d.latency, ...d.settings, ...peer },
  });

  const rounds = env('BENCH_STORE_FAILOVER_ROUNDS', 20);
  if (rounds <= 0) return progress('store.failover_p99_ms: skipped (BENCH_STORE_FAILOVER_ROUNDS=0)');
  progress(`store.failover_p99_ms: ${rounds} rounds of kill -9 of the leader of each; a write every ${env('BENCH_STORE_PROBE_EVERY_MS', 10)} ms`);
  const df = await failover(drover, dLoad, rounds);
  const ef = await failover(etcd, eLoad, rounds);
  const common = { rounds, probeEveryMs: env('BENCH_STORE_PROBE_EVERY_MS', 10), drover: drover.settings, etcd: etcd.settings, etcdVersion: etcd.version };
  emit({
    bench: 'store.failover_p99_ms',
    value: percentile(df.times, 0.99),
    unit: 'ms',
    peer: { name: 'etcd 3.4', value: percentile(ef.times, 0.99), better: 'lower' },
    details: { statistic: 'p99', runs: df.times, etcdRuns: ef.times, ...common, perRound: df.rows, etcdPerRound: ef.rows },
  });
  emit({
    bench: 'store.failover_p50_ms',
    value: median(df.times),
    unit: 'ms',
    peer: { name: 'etcd 3.4', value: median(ef.times), better: 'lower' },
    details: { statistic: 'median', runs: df.times, etcdRuns: ef.times, ...common },
  });
}
