// Renders test/bench/RESULTS.md from the latest run of each suite
// (test/bench/out/suites/<suite>.json, written by run.ts; a suite with no
// file of its own is taken from test/bench/out/last-run.json):
//   node --import tsx test/bench/results.ts
// Everything below the NOTES marker in the existing RESULTS.md is kept.

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { ratioOf, tidy, type Figure } from './lib/report.js';
import type { MachineInfo } from './lib/machine.js';
import { SUITES } from './suites/index.js';

interface Target {
  readonly text: string;
  readonly met: (f: Figure) => boolean;
}

const TARGETS: Record<string, Target> = {
  'actors.local_tell_per_s': { text: '>= 5,000,000 msg/s', met: (f) => f.value >= 5_000_000 },
  'actors.idle_actor_bytes': { text: '<= 1,024 bytes', met: (f) => f.value <= 1_024 },
  'actors.remote_tell_per_s': {
    text: '>= 300,000 msg/s and ratio >= 0.7',
    met: (f) => f.value >= 300_000 && (ratioOf(f) ?? 0) >= 0.7,
  },
  'raft.commits_per_s': { text: '>= 10,000 commits/s', met: (f) => f.value >= 10_000 },
  'raft.failover_p99_ms': { text: '<= 1,000 ms', met: (f) => f.value <= 1_000 },
  'store.writes_per_s': { text: 'ratio >= 1.5 (vs etcd 3.4)', met: (f) => (ratioOf(f) ?? 0) >= 1.5 },
  'store.write_p99_ms': { text: 'no worse than etcd 3.4 (ratio >= 1)', met: (f) => (ratioOf(f) ?? 0) >= 1 },
  'store.failover_p99_ms': { text: '<= 1,000 ms', met: (f) => f.value <= 1_000 },
  'cluster.schedule_pods_per_s': { text: '>= 5,000 pods/s', met: (f) => f.value >= 5_000 },
  'cluster.pod_start_p99_ms': { text: '<= 500 ms', met: (f) => f.value <= 500 },
  'cluster.heal_p99_ms': { text: '<= 3,000 ms', met: (f) => f.value <= 3_000 },
  'cluster.sim_seeds_per_min': { text: '>= 100 seeds/min', met: (f) => f.value >= 100 },
};

const ACTORS_METHODS: Record<string, string> = {
  'actors.local_tell_per_s':
    'One system, no transport, in a fresh process: a sender actor does 1,000 tells of `{type, seq}` (a new object each) per message it handles and re-triggers itself with a message to itself, keeping at most 16,000 tells unacknowledged (the receiver acks every 1,000); after a 2 M warm-up, 5 runs of 10 M messages timed from the start signal to the receiver getting the last; the figure is the **median** of the 5.',
  'actors.idle_actor_bytes':
    'In a fresh `node --expose-gc` process: 1,000,000 top-level actors spawned with a setup function whose receive closure holds a counter, all started (dispatcher empty); `heapUsed` after gc minus `heapUsed` after gc before spawning, divided by 1,000,000 (our own array of refs is allocated before the baseline).',
  'actors.remote_tell_per_s':
    'A nats-server on 127.0.0.1 and two worker processes; a sender actor in one system sends `{type:"m", seq}` to a receiver actor in the other, 1,000 tells per handled message, at most 100,000 unacknowledged (acks every 10,000); each run lasts until the receiver has 1,000,000; the peer is two raw nats.js connections in the same two processes doing the same (one publish per message, the object msgpack-encoded with the codec\'s options, 1,000 per event-loop turn, same window and acks); after a 200 k warm-up of each, 3 alternating runs of each, timed by the parent from start to the receiver\'s report; the **median** of each.',
  'actors.remote_ask_per_s':
    'The same two processes: 64 asks outstanding at all times from outside any actor (`system.ask`, 10 s timeout) to an echo actor in the other system that answers `ctx.reply`; after 2 s of warm-up, asks completed in 3 windows of 3 s; **median** window. The peer is raw nats.js request-reply done by hand the same way (a reply subject, an id in the payload, a timer per request, 64 outstanding); nats.js\'s own `request()` is also measured and listed below.',
};

const RAFT_SETUP =
  'A nats-server on 127.0.0.1 and three replica processes (`test/bench/workers/raft-replica.ts`): an actor system per replica over NATS, the replica actor with the file WAL over `NodeDisk` (fsync on every batch) in a temp dir, and the test KV state machine (`test/support/kv-state-machine.ts`); tick, election and heartbeat ticks are listed with each run below. The clients live in a separate load process (`test/bench/workers/raft-load.ts`), each a `ReplicaClient` following leader hints';
const RAFT_COMMITS =
  `${RAFT_SETUP}. 64 async loops propose back to back (each awaits its proposal's acknowledgement, which comes once the entry is committed and applied); every entry is a 100-byte put to the loop's own key. After a 3 s warm-up, acknowledgements are counted in 3 windows of 5 s; the figure is the **median** window. Per replica the run also records CPU, fsyncs per second, mean fsync time and entries per fsync (listed below)`;

const RAFT_METHODS: Record<string, string> = {
  'raft.commits_per_s': `${RAFT_COMMITS}.`,
  'raft.commit_p50_ms': 'The same run: the median time from a proposal to its acknowledgement, over every proposal acknowledged in the 3 windows.',
  'raft.commit_p99_ms': 'The same run: the 99th percentile of those times.',
  'raft.failover_p99_ms': `${RAFT_SETUP}. 20 rounds: the load process starts a proposal every 10 ms (each a fresh client starting at the next replica, 2 s timeout), and 200 ms later kills the leader's process with SIGKILL; the round's time runs from the kill to the acknowledgement of the first proposal sent after it, which only a new leader can give (checked: a higher term). The victim is restarted on its data dir and caught up before the next round. With 20 rounds the p99 is the slowest round.`,
  'raft.failover_p50_ms': 'The same 20 rounds: the median.',
};

const STORE_SETUP =
  'A nats-server on 127.0.0.1 and three `drover master` processes (`node dist/bin/drover.js master --id mN --peers m1,m2,m3 --nats URL --data-dir DIR --grpc-port 0 --http-port 0`, built by the suite with `tsc -p tsconfig.build.json`, the default timing of `drover master` (tick 50 ms, election 9 ticks: 450-900 ms); file WAL with fsync on, data dirs in a temp dir); the peer, in the same run, is etcd 3.4 from Debian (`etcd-server`), three members on 127.0.0.1 free ports with their data dirs in a temp dir (its defaults: fsync on, heartbeat 100 ms, election 1,000 ms). The clients live in a load process of their own per system (`test/bench/workers/store-load.ts`): for drover three gRPC connections (`GrpcConnection` with `API_SERVICE_NAME`/`API_SERVICE_SPEC`), for etcd three `etcd3` npm clients, one per server; client n talks to server n mod 3 (followers forward to the leader in both)';
const STORE_METHODS: Record<string, string> = {
  'store.writes_per_s': `${STORE_SETUP}. 64 async loops write back to back, each awaiting its acknowledgement: on drover each loop creates its own Pod, then updates it with a fresh 100-byte annotation (passing the resourceVersion of its last answer); on etcd each loop puts a fresh 100-byte value to its own key. After a 3 s warm-up, acknowledged writes are counted in 3 windows of 5 s; the figure is the **median** window, the peer's likewise. Then, in the same run, the gRPC floor (\`grpcFloor\` in the details): a fresh load process runs the same 64 update loops against Drover's gRPC edge alone (\`test/bench/workers/grpc-echo.ts\`: the masters' \`GrpcGateway\` and service, with handlers that answer at once with the object sent), 3 s of warm-up and 3 windows of 2 s, with the CPU per call of both processes.`,
  'store.write_p50_ms': 'The same runs: the median time from a write to its acknowledgement over every write acknowledged in the 3 windows (the peer: the same for etcd).',
  'store.write_p99_ms': 'The same runs: the 99th percentile of those times.',
  'store.failover_p99_ms': `${STORE_SETUP}. Rounds (the number is listed below; 20 unless BENCH_STORE_FAILOVER_ROUNDS says otherwise): the load process starts a write every 10 ms (drover: a Create of a fresh Pod with a 100-byte annotation; etcd: a put of a fresh key; each to the next server in turn, 2 s timeout), and 200 ms later kills the leader's process group with SIGKILL; the round's time runs from the kill to the acknowledgement of the first write sent after it. The victim is restarted on its data dir (same client port) and the suite waits until all three agree on a leader before the next round. Drover's rounds first, then etcd's in the same run. With 20 rounds or fewer the p99 is the slowest round.`,
  'store.failover_p50_ms': 'The same rounds: the median.',
};

const CLUSTER_SETUP =
  'A nats-server on 127.0.0.1, three `drover master` processes and node agents (`drover node`), all the compiled `dist/bin/drover.js` started by the chaos launcher (`chaos/launcher/local-cluster.ts`) on free loopback ports, masters at their default timing';
const CLUSTER_METHODS: Record<string, string> = {
  'cluster.schedule_pods_per_s': `${CLUSTER_SETUP}, run with \`--node-monitor-grace-ms 8000\`, and one \`drover node --hollow 1000 --heartbeat-interval-ms 2000\` process (1,000 hollow agents: 4 cores, 16 GiB, 110 pods each). Once all 1,000 nodes are Ready, 10,000 pods (10m CPU, 8Mi each) are created, 64 at a time, with a node selector no node matches yet; the suite waits until the scheduler has marked every one PodScheduled=False, starts a watch of all pods, then labels the nodes (64 at a time). The clock runs from the first label written to the last pod seen bound by the watch; the figure is 10,000 / that time.`,
  'cluster.pod_start_p50_ms': `${CLUSTER_SETUP}, and three node agents with the process runtime. 100 pods (\`sleep 3600\`), one after another: the time from the create call to the watch event that shows phase Running; the median.`,
  'cluster.pod_start_p99_ms': 'The same 100 pods: the 99th percentile.',
  'cluster.heal_p99_ms': `${CLUSTER_SETUP}, and four node agents with the process runtime. 10 trials: the other three nodes are cordoned, a ReplicaSet of 10 pods starts on the fourth, the others are uncordoned, then the fourth's agent is killed with SIGKILL (its containers keep running, as they would on a machine whose agent died); the trial's time runs from the kill until 10 pods of the set run on other nodes. The node is restarted and the set deleted before the next trial (the victim rotates). With 10 trials the p99 is the slowest.`,
  'cluster.sim_seeds_per_min': 'In the bench process: the simulated world of `test/sim/cluster/hollow-cluster.ts` (3 masters on simulated disks, 10 hollow node agents, 1% of frames dropped, 1-5 ms delays), a deployment of 6 replicas, 60 simulated seconds per seed, seeds one after another for 30 s of wall time; seeds per minute of wall time.',
};

const METHODS: Record<string, string> = { ...ACTORS_METHODS, ...RAFT_METHODS, ...STORE_METHODS, ...CLUSTER_METHODS };

const NOTES = '<!-- notes: everything below this line is kept when results.ts regenerates the file -->';

const fmtValue = (v: number): string => tidy(v).toLocaleString('en-US');

interface RunRecord {
  date: string;
  suites: string[];
  failed: number;
  machine: MachineInfo;
  source?: { commit: string; uncommitted: string[] };
  cpuBusyBefore?: Record<string, number | null>;
  otherLoadDuring?: Record<string, number | null>;
  figures: Figure[];
}

const readRecord = (url: URL): RunRecord => JSON.parse(readFileSync(url, 'utf8')) as RunRecord;

/** The latest record of each suite, in the order of SUITES. */
function latestRuns(): RunRecord[] {
  const out = new URL('./out/', import.meta.url);
  const bySuite = new Map<string, RunRecord>();
  const dir = new URL('suites/', out);
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const r = readRecord(new URL(f, dir));
      bySuite.set(r.suites[0]!, r);
    }
  }
  const lastUrl = new URL('last-run.json', out);
  if (existsSync(lastUrl)) {
    const last = readRecord(lastUrl);
    for (const s of last.suites) {
      if (bySuite.has(s)) continue;
      bySuite.set(s, { ...last, suites: [s], figures: last.figures.filter((f) => f.bench.startsWith(`${s}.`)) });
    }
  }
  if (bySuite.size === 0) throw new Error('no benchmark run recorded in test/bench/out/; run `npm run bench` first');
  const order = Object.keys(SUITES);
  return [...bySuite.values()].sort((a, b) => order.indexOf(a.suites[0]!) - order.indexOf(b.suites[0]!));
}

const pct = (b: number | null | undefined): string => (b === null || b === undefined ? 'unknown' : `${Math.round(b * 100)}%`);

function main(): void {
  const runs = latestRuns();
  const newest = [...runs].sort((a, b) => (a.date < b.date ? 1 : -1))[0]!;
  const run = { figures: runs.flatMap((r) => r.figures) };
  const m = newest.machine;
  const lines: string[] = [];
  lines.push('# Benchmark results');
  lines.push('');
  lines.push(
    `The latest run of each suite of \`npm run bench\`, rendered by \`node --import tsx test/bench/results.ts\` from \`test/bench/out/suites/\` (and \`test/bench/out/last-run.json\`).`,
  );
  lines.push('');
  lines.push(`- Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB memory`);
  lines.push(`- Node ${m.node}, nats-server ${m.natsServer}, nats.js (@nats-io/transport-node) ${m.natsJs}`);
  for (const r of runs) {
    const name = r.suites[0]!;
    const dirty = r.source && r.source.uncommitted.length > 0 ? ` plus uncommitted changes to ${r.source.uncommitted.map((f) => `\`${f}\``).join(', ')}` : '';
    const code = r.source ? `commit ${r.source.commit}${dirty}` : 'commit unknown';
    const load = `CPU busy with other work in the second before: ${pct(r.cpuBusyBefore?.[name])}; share of the machine other processes took while it ran: ${pct(r.otherLoadDuring?.[name])}`;
    lines.push(`- Suite \`${name}\`: run ${r.date}; ${code}; ${load}`);
    if (r.failed > 0) lines.push(`  - **the suite failed in that run**; its figures are missing or partial.`);
  }
  lines.push('');
  lines.push('| figure | value | unit | peer | peer value | ratio | target | met |');
  lines.push('| --- | ---: | --- | --- | ---: | ---: | --- | --- |');
  for (const f of run.figures) {
    const t = TARGETS[f.bench];
    const met = t ? (t.met(f) ? 'yes' : '**NO**') : '—';
    lines.push(
      `| \`${f.bench}\` | ${fmtValue(f.value)} | ${f.unit} | ${f.peer?.name ?? '—'} | ${f.peer ? fmtValue(f.peer.value) : '—'} | ${ratioOf(f) ?? '—'} | ${t?.text ?? 'none set'} | ${met} |`,
    );
  }
  const missed = run.figures.filter((f) => TARGETS[f.bench] && !TARGETS[f.bench]!.met(f));
  lines.push('');
  lines.push(missed.length === 0 ? 'Every figure with a target met it in these runs.' : `**Targets missed in these runs: ${missed.map((f) => `\`${f.bench}\``).join(', ')}.**`);
  lines.push('');
  lines.push('## How each figure is measured');
  lines.push('');
  for (const f of run.figures) {
    const how = METHODS[f.bench];
    if (how) lines.push(`- \`${f.bench}\`: ${how}`);
  }
  lines.push('');
  lines.push('## Every run');
  lines.push('');
  for (const f of run.figures) {
    lines.push(`- \`${f.bench}\`: ${JSON.stringify(f.details ?? {}, (_k, v: unknown) => (typeof v === 'number' ? tidy(v) : v))}`);
  }
  lines.push('');
  const path = new URL('./RESULTS.md', import.meta.url);
  let notes = `${NOTES}\n`;
  if (existsSync(path)) {
    const old = readFileSync(path, 'utf8');
    const i = old.indexOf(NOTES);
    if (i >= 0) notes = old.slice(i);
  }
  writeFileSync(path, lines.join('\n') + '\n' + notes);
}

main();
