// The cluster figures (issue 6, section 6): scheduling throughput across
// 1,000 hollow nodes, pod start-up latency with the process runtime,
// self-healing after kill -9 of a node agent, and simulation speed. The
// masters and node agents are real `drover` processes (compiled) over a real
// nats-server on 127.0.0.1; the simulation runs in this process.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../../../actors/index.js';
import type { Pod } from '../../../core/api/index.js';
import type { WatchEvent } from '../../../core/client/index.js';
import { LocalCluster } from '../../../chaos/launcher/local-cluster.js';
import { hollowCluster } from '../../sim/cluster/hollow-cluster.js';
import { buildDrover, DROVER } from '../lib/build.js';
import { procCpuMs } from '../lib/proc-cpu.js';
import { emit, fmt, percentile, progress } from '../lib/report.js';
import type { Cleanup } from '../lib/workers.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined ? dflt : Number(v);
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function cluster(cleanup: Cleanup, nodes: number, extra: { masterArgs?: string[]; nodeArgs?: string[] } = {}): Promise<LocalCluster> {
  const baseDir = await mkdtemp(join(tmpdir(), 'drover-bench-cluster-'));
  cleanup.add(() => rm(baseDir, { recursive: true, force: true }));
  // BENCH_CLUSTER_LOG_LEVEL=warn shows what the processes say, on stderr.
  const level = process.env['BENCH_CLUSTER_LOG_LEVEL'];
  const c = await LocalCluster.start({
    drover: { command: process.execPath, args: [DROVER] },
    baseDir,
    nodes,
    runtime: 'process',
    env: { DROVER_LOG_LEVEL: level ?? 'error', ...(process.env['BENCH_CLUSTER_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_CLUSTER_NODE_OPTIONS'] } : {}) },
    ...(level !== undefined ? { onStderr: (label: string, line: string) => process.stderr.write(`[${label}] ${line.slice(0, 300)}\n`) } : {}),
    ...extra,
  });
  cleanup.add(() => c.stop());
  return c;
}

/** Creates `obj`, again after an unknown outcome (an election); ALREADY_EXISTS on a retry is success. */
async function createRetrying(c: LocalCluster, obj: Pod): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await c.client.create(obj);
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt > 0 && code === 'ALREADY_EXISTS') return;
      if (attempt >= 10 || (code !== 'UNAVAILABLE' && code !== 'DEADLINE_EXCEEDED')) throw e;
      await sleep(200);
    }
  }
}

/** Runs `fn` on `items` with at most `concurrency` at once. */
async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function pod(name: string, spec: Partial<Pod['spec']> = {}, labels: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'drover/v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'main', image: 'sleep', args: ['3600'], resources: { requests: { cpu: '10m', memory: '8Mi' } } }], terminationGracePeriodSeconds: 1, ...spec },
  };
}

/**
 * cluster.schedule_pods_per_s: NODES hollow agents register first; then PODS
 * pods are created with a node selector no node matches yet (the scheduler
 * marks them unschedulable); then the nodes get the label, and the clock
 * runs from the first label written to the last pod bound (its bind
 * committed and seen by a watch). The pods need ~PODS/110 nodes, so the
 * labels written while the clock runs are few: the figure is the
 * scheduler's and the store's.
 */
async function scheduling(cleanup: Cleanup): Promise<void> {
  const nodes = env('BENCH_CLUSTER_NODES', 1_000);
  const pods = env('BENCH_CLUSTER_PODS', 10_000);
  // A thousand agents in one process heartbeat every 2 s (6,000 heartbeats a
  // second to three masters at the default 400 ms would take a core), so the
  // masters give them a grace to match.
  const c = await cluster(cleanup, 0, { masterArgs: ['--node-monitor-grace-ms', '8000'], nodeArgs: ['--heartbeat-interval-ms', '2000'] });
  await c.startNode('hollow', ['--hollow', String(nodes)]);
  await waitNodes(c, nodes, 120_000);
  progress(`cluster: ${fmt(nodes)} hollow nodes Ready; creating ${fmt(pods)} pods that wait for a label`);
  const gate = { 'drover.io/bench': 'go' };
  const t0 = performance.now();
  await pool(Array.from({ length: pods }, (_, i) => `sched-${i}`), 64, (n) => createRetrying(c, pod(n, { nodeSelector: gate })));
  progress(`cluster: ${fmt(pods)} pods created in ${((performance.now() - t0) / 1000).toFixed(1)} s; waiting for the scheduler to mark them all`);
  for (let i = 0; i < 600; i++) {
    let marked = 0;
    for await (const page of c.client.listPages('Pod', { namespace: 'default', limit: 1_000 })) {
      marked += page.items.filter((p) => (p as Pod).status?.conditions?.some((k) => k.type === 'PodScheduled' && k.status === 'False')).length;
    }
    if (marked === pods) break;
    await sleep(500);
  }
  let lastBindMs = 0;
  const bound = new Set<string>();
  let allBound: () => void = () => undefined;
  const done = new Promise<void>((r) => (allBound = r));
  const podWatch = c.client.watch('Pod', { namespace: 'default' }, (e: WatchEvent) => {
    const p = e.object as Pod;
    if (p.spec.nodeName === undefined || bound.has(p.metadata.name)) return;
    bound.add(p.metadata.name);
    lastBindMs = performance.now();
    if (bound.size === pods) allBound();
  });
  cleanup.add(async () => podWatch.cancel());
  await sleep(1_000);
  progress('cluster: labelling the nodes');
  // BENCH_CLUSTER_PROFILE_SIGNAL=1: tell every process (SIGUSR2) that the measured phase starts, for a profiler hook loaded with NODE_OPTIONS.
  if (process.env['BENCH_CLUSTER_PROFILE_SIGNAL'] === '1') {
    for (const p of [...c.masters.map((m) => m.process), ...[...c.nodes.values()].map((n) => n.process)]) if (p.pid !== undefined) process.kill(p.pid, 'SIGUSR2');
  }
  // CPU per process over the measured phase, per pod: where the cost lies.
  const processes: [string, number | undefined][] = [
    ['nats-server', c.nats.process.pid],
    ...c.masters.map((m, i): [string, number | undefined] => [`m${i + 1}`, m.process.pid]),
    ...[...c.nodes.entries()].map(([name, n]): [string, number | undefined] => [name, n.process.pid]),
    ['bench', process.pid],
  ];
  const cpuAt = () => new Map(processes.map(([name, pid]) => [name, pid === undefined ? null : procCpuMs(pid)]));
  const cpuBefore = cpuAt();
  const startMs = performance.now();
  const names = Array.from({ length: nodes }, (_, i) => `hollow-${i}`);
  let labelled = 0;
  void pool(names, 64, async (name) => {
    if (++labelled % 100 === 0) progress(`cluster: ${labelled} nodes labelled`);
    for (let a = 0; a < 5; a++) {
      try {
        const n = await c.client.get('Node', name);
        await c.client.update({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, ...gate } } });
        return;
      } catch {
        // a status write came in between: read again
      }
    }
  });
  const limitMs = env('BENCH_CLUSTER_SCHEDULE_LIMIT_S', 300) * 1000;
  const ticker = setInterval(() => progress(`cluster: ${fmt(bound.size)} pods bound`), 2_000);
  await Promise.race([done, sleep(limitMs)]);
  clearInterval(ticker);
  const cpuAfter = cpuAt();
  podWatch.cancel();
  if (bound.size < pods) {
    // Which is short: the binds, or the watch that counts them?
    let stored = 0;
    const unbound: Pod[] = [];
    for await (const page of c.client.listPages('Pod', { namespace: 'default', limit: 1_000 })) {
      for (const p of page.items as Pod[]) {
        if (p.spec.nodeName !== undefined) stored++;
        else if (unbound.length < 3) unbound.push(p);
      }
    }
    const why = unbound.map((p) => `${p.metadata.name}: ${JSON.stringify(p.status?.conditions ?? [])}`).join('; ');
    throw new Error(`only ${bound.size} of ${pods} pods seen bound by the watch within ${limitMs} ms; the store has ${stored} bound; unbound: ${why}`);
  }
  const seconds = (lastBindMs - startMs) / 1000;
  progress(`cluster: ${fmt(pods)} pods bound across ${fmt(nodes)} nodes in ${seconds.toFixed(2)} s from the first label`);
  const cpuUsPerPod = Object.fromEntries(
    processes.map(([name]) => {
      const before = cpuBefore.get(name);
      const after = cpuAfter.get(name);
      return [name, before == null || after == null ? null : Math.round(((after - before) * 1000) / pods)];
    }),
  );
  progress(`cluster: CPU per pod (µs) while binding: ${JSON.stringify(cpuUsPerPod)}`);
  emit({ bench: 'cluster.schedule_pods_per_s', value: pods / seconds, unit: 'pods/s', details: { nodes, pods, seconds, cpuUsPerPod } });
}

/** cluster.pod_start_p99_ms / p50: create -> Running (the watch sees phase Running), process runtime, one pod at a time. */
async function podStart(cleanup: Cleanup): Promise<void> {
  const count = env('BENCH_CLUSTER_START_PODS', 100);
  const c = await cluster(cleanup, 3);
  await waitNodes(c, 3);
  const created = new Map<string, number>();
  const latencies: number[] = [];
  let running: (name: string) => void = () => undefined;
  const w = c.client.watch('Pod', { namespace: 'default', selector: 'bench=start' }, (e) => {
    const p = e.object as Pod;
    const at = created.get(p.metadata.name);
    if (at === undefined || p.status?.phase !== 'Running') return;
    created.delete(p.metadata.name);
    latencies.push(performance.now() - at);
    running(p.metadata.name);
  });
  cleanup.add(async () => w.cancel());
  await sleep(500);
  for (let i = 0; i < count; i++) {
    const name = `start-${i}`;
    const seen = new Promise<void>((r) => (running = (n) => n === name && r()));
    created.set(name, performance.now());
    await c.client.create(pod(name, {}, { bench: 'start' }));
    await Promise.race([seen, sleep(10_000)]);
  }
  w.cancel();
  if (latencies.length < count) throw new Error(`only ${latencies.length} of ${count} pods reached Running`);
  emit({ bench: 'cluster.pod_start_p50_ms', value: percentile(latencies, 0.5), unit: 'ms', details: { pods: count } });
  emit({ bench: 'cluster.pod_start_p99_ms', value: percentile(latencies, 0.99), unit: 'ms', details: { pods: count, maxMs: Math.max(...latencies) } });
}

async function waitNodes(c: LocalCluster, n: number, timeoutMs = 30_000): Promise<void> {
  for (let i = 0; i < timeoutMs / 100; i++) {
    const nodes = (await c.client.list('Node').catch(() => ({ items: [] }))).items;
    if (nodes.filter((x) => (x as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions?.some((k) => k.type === 'Ready' && k.status === 'True')).length >= n) return;
    await sleep(100);
  }
  throw new Error(`${n} nodes not Ready`);
}

/**
 * cluster.heal_p99_ms: a node agent running 10 pods (the others cordoned
 * while they start) is killed with -9; the clock runs until all 10 run
 * elsewhere. The node comes back before the next trial.
 */
async function heal(cleanup: Cleanup): Promise<void> {
  const trials = env('BENCH_CLUSTER_HEAL_TRIALS', 10);
  const c = await cluster(cleanup, 4);
  await waitNodes(c, 4);
  const names = [...c.nodes.keys()];
  const cordon = async (node: string, unschedulable: boolean) => {
    for (let a = 0; a < 5; a++) {
      const n = await c.client.get('Node', node);
      try {
        await c.client.update({ ...n, spec: { ...n.spec, unschedulable } });
        return;
      } catch {
        // a heartbeat-driven status write came in between: read again
      }
    }
  };
  const times: number[] = [];
  for (let t = 0; t < trials; t++) {
    const victim = names[t % names.length]!;
    const others = names.filter((n) => n !== victim);
    await Promise.all(others.map((n) => cordon(n, true)));
    const label = `heal-${t}`;
    await c.client.create({
      apiVersion: 'drover/v1',
      kind: 'ReplicaSet',
      metadata: { name: label, namespace: 'default' },
      spec: { replicas: 10, selector: { matchLabels: { bench: label } }, template: { metadata: { labels: { bench: label } }, spec: pod(label).spec } },
    });
    const pods = async () => ((await c.client.list('Pod', { namespace: 'default', selector: `bench=${label}` }).catch(() => ({ items: [] }))).items as Pod[]).filter((p) => p.metadata.deletionTimestamp === undefined);
    const runningOn = (ps: Pod[], ok: (node: string) => boolean) => ps.filter((p) => p.status?.phase === 'Running' && ok(p.spec.nodeName ?? '')).length;
    for (let i = 0; i < 300 && runningOn(await pods(), (n) => n === victim) < 10; i++) await sleep(100);
    await Promise.all(others.map((n) => cordon(n, false)));
    const t0 = performance.now();
    await c.killNode(victim);
    let healed = false;
    while (performance.now() - t0 < 30_000) {
      if (runningOn(await pods(), (n) => n !== victim) >= 10) {
        healed = true;
        break;
      }
      await sleep(25);
    }
    const ms = performance.now() - t0;
    if (!healed) throw new Error(`trial ${t}: the 10 pods of ${victim} did not run elsewhere within 30 s`);
    times.push(ms);
    progress(`cluster: heal trial ${t + 1}/${trials}: ${victim} killed, its 10 pods running elsewhere after ${Math.round(ms)} ms`);
    await c.startNode(victim);
    await c.client.delete('ReplicaSet', label, { namespace: 'default' });
    await waitNodes(c, names.length);
  }
  emit({ bench: 'cluster.heal_p99_ms', value: percentile(times, 0.99), unit: 'ms', details: { trials, p50Ms: percentile(times, 0.5), times: times.map(Math.round) } });
}

/** cluster.sim_seeds_per_min: seeds of a 3-master, 10-hollow-node world, 60 simulated seconds each, run one after another. */
async function simSpeed(): Promise<void> {
  const budgetMs = env('BENCH_CLUSTER_SIM_S', 30) * 1000;
  const t0 = performance.now();
  let seeds = 0;
  while (performance.now() - t0 < budgetMs) {
    await simulate({ seed: seeds + 1, faults: { dropRate: 0.01, minDelayMs: 1, maxDelayMs: 5 } }, async (sim) => {
      const c = await hollowCluster(sim, Array.from({ length: 10 }, (_, i) => `n${i + 1}`));
      await sim.settle(
        c.api('m1')({
          type: 'create',
          object: {
            apiVersion: 'drover/v1',
            kind: 'Deployment',
            metadata: { name: 'web', namespace: 'default' },
            spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } } },
          },
        }),
      ).catch(() => undefined);
      await sim.runFor(60_000 - 3_000); // the masters' start took 3 simulated seconds
    });
    seeds++;
  }
  const perMin = (seeds * 60_000) / (performance.now() - t0);
  emit({ bench: 'cluster.sim_seeds_per_min', value: perMin, unit: 'seeds/min', details: { seeds, wallMs: Math.round(performance.now() - t0) } });
}

export async function clusterSuite(cleanup: Cleanup): Promise<void> {
  buildDrover();
  const only = process.env['BENCH_CLUSTER_ONLY'];
  const run = (name: string) => only === undefined || only.split(',').includes(name);
  // The heaviest first, on a quiet machine; each part starts a cluster of its own.
  if (run('schedule')) await scheduling(cleanup);
  if (run('start')) await podStart(cleanup);
  if (run('heal')) await heal(cleanup);
  if (run('sim')) await simSpeed();
}
