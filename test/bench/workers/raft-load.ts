// The load generator of the raft figures, in its own process: one actor
// system over NATS whose clients propose to the replicas (raft-replica.ts).
//
//   init       { url, ids }                         connect; answer 'inited'
//   statuses   {}                                   every replica's raft status (null if silent)
//   throughput { concurrency, bytes, warmupMs, windowMs, windows, timeoutMs }
//              `concurrency` async loops, each a ReplicaClient proposing
//              `bytes`-byte puts back to back; after the warm-up, the count
//              acknowledged per window and the latency of each. Sends
//              'measure-start' and 'measure-end' around the windows (so the
//              parent can sample the replicas), then 'throughput-result'.
//   failover   { victimPid, probeEveryMs, timeoutMs, leadInMs, maxWaitMs }
//              proposes every probeEveryMs (each proposal a fresh client
//              starting at the next replica, following leader hints), kills
//              the victim's process group with SIGKILL after leadInMs, and
//              answers 'failover-result' with the time from the kill to the
//              first acknowledgement of a proposal sent after it.

import { ActorSystem, AskTimeoutError, NatsTransport, createLogger, realWorld } from '../../../actors/index.js';
import { NotLeaderError, ReplicaClient, type RaftStatus } from '../../../raft/index.js';
import { putOfSize } from '../../support/kv-state-machine.js';
import { listen, on, onStop, send } from '../lib/channel.js';

let system: ActorSystem | null = null;
let transport: NatsTransport | null = null;
let ids: string[] = [];
const raftPath = (id: string): string => `drover://${id}/user/raft`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

onStop(async () => {
  await system?.terminate();
  await transport?.close();
});

/** The replica paths, starting at replica `i` (mod the count). */
function pathsFrom(i: number): string[] {
  const k = i % ids.length;
  return [...ids.slice(k), ...ids.slice(0, k)].map(raftPath);
}

on('init', async (m) => {
  ids = m['ids'] as string[];
  transport = await NatsTransport.connect({ servers: m['url'] as string, connectionName: 'bench-raft-load' });
  const logger = createLogger({ level: process.env['DROVER_LOG_LEVEL'] ?? 'warn' });
  system = await ActorSystem.start({ name: 'bench-raft-load', world: realWorld({ transport, logger }) });
  send({ type: 'inited' });
});

on('statuses', async () => {
  const sys = system!;
  const statuses = await Promise.all(
    ids.map((id) => sys.ask<RaftStatus>(sys.resolve(raftPath(id)), { type: 'status' }, { timeoutMs: 1_000 }).catch(() => null)),
  );
  send({ type: 'statuses-result', statuses });
});

on('throughput', async (m) => {
  const sys = system!;
  const concurrency = m['concurrency'] as number;
  const bytes = m['bytes'] as number;
  const warmupMs = m['warmupMs'] as number;
  const windowMs = m['windowMs'] as number;
  const windows = m['windows'] as number;
  const timeoutMs = m['timeoutMs'] as number;
  let running = true;
  let measuring = false;
  let acked = 0;
  let timeouts = 0;
  let refused = 0;
  let otherErrors = 0;
  const latencies: number[] = [];

  const loop = async (n: number): Promise<void> => {
    let client = new ReplicaClient(sys, pathsFrom(n), { timeoutMs });
    // One key per proposer, overwritten: the map (and its snapshots) stays small.
    const key = `p${n}`;
    for (let seq = 0; running; seq++) {
      const data = putOfSize(key, String(seq), bytes);
      const t0 = performance.now();
      try {
        await client.propose(data);
        acked++;
        if (measuring) latencies.push(performance.now() - t0);
      } catch (e) {
        if (e instanceof AskTimeoutError) {
          timeouts++;
          client = new ReplicaClient(sys, pathsFrom(n + seq + 1), { timeoutMs });
        } else if (e instanceof NotLeaderError) {
          refused++;
          await sleep(20);
        } else {
          otherErrors++;
          await sleep(20);
        }
      }
    }
  };
  const loops = Array.from({ length: concurrency }, (_, n) => loop(n));
  await sleep(warmupMs);
  measuring = true;
  send({ type: 'measure-start', cpuMs: cpuMs() });
  const rates: number[] = [];
  for (let i = 0; i < windows; i++) {
    const a0 = acked;
    const t0 = performance.now();
    await sleep(windowMs);
    rates.push(((acked - a0) / (performance.now() - t0)) * 1000);
  }
  measuring = false;
  send({ type: 'measure-end', cpuMs: cpuMs() });
  running = false;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  send({
    type: 'throughput-result',
    rates,
    latency: { count: latencies.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: latencies.at(-1) ?? NaN },
    timeouts,
    refused,
    otherErrors,
  });
});

on('failover', async (m) => {
  const sys = system!;
  const victimPid = m['victimPid'] as number;
  const probeEveryMs = m['probeEveryMs'] as number;
  const timeoutMs = m['timeoutMs'] as number;
  const leadInMs = m['leadInMs'] as number;
  const maxWaitMs = m['maxWaitMs'] as number;
  let killedAt = Number.POSITIVE_INFINITY;
  let firstAck: { ms: number; index: number } | null = null;
  let probes = 0;
  let failed = 0;
  const probe = async (n: number): Promise<void> => {
    const sentAt = performance.now();
    try {
      const r = await new ReplicaClient(sys, pathsFrom(n), { timeoutMs }).propose(putOfSize('failover', String(n), 100));
      const at = performance.now();
      if (sentAt > killedAt && firstAck === null) firstAck = { ms: at - killedAt, index: r.index };
    } catch {
      failed++;
    }
  };
  const started = performance.now();
  const outstanding: Promise<void>[] = [];
  while (firstAck === null && performance.now() - started < leadInMs + maxWaitMs) {
    if (killedAt === Number.POSITIVE_INFINITY && performance.now() - started >= leadInMs) {
      process.kill(-victimPid, 'SIGKILL');
      killedAt = performance.now();
    }
    outstanding.push(probe(probes++));
    await sleep(probeEveryMs);
  }
  const result = firstAck as { ms: number; index: number } | null;
  // Let the stragglers (asks to the dead replica) finish before the next round.
  await Promise.all(outstanding);
  send({ type: 'failover-result', ms: result?.ms ?? null, index: result?.index ?? null, probes, failed });
});

listen();
send({ type: 'ready' });
