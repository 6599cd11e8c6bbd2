// The load generator of the store figures, in its own process: clients of
// the three `drover master` processes (gRPC, core/grpc GrpcConnection) or of
// the three etcd members (the etcd3 npm client), doing 100-byte writes.
//
//   init       { system: 'drover'|'etcd', addresses }   connect; answer 'inited'
//   throughput { concurrency, bytes, warmupMs, windowMs, windows, timeoutMs }
//              `concurrency` async loops, loop n talking to server n mod 3;
//              drover: each loop creates its own Pod, then updates it back to
//              back with a fresh `bytes`-byte annotation (the resourceVersion
//              of its last answer); etcd: each loop puts a `bytes`-byte value
//              to its own key back to back. After the warm-up, the count
//              acknowledged per window and the latency of each write; then
//              'throughput-result'.
//   failover   { victimPid, probeEveryMs, timeoutMs, leadInMs, maxWaitMs, round }
//              a write every probeEveryMs (drover: a Create of a fresh Pod
//              with a `bytes`-byte annotation; etcd: a put of a fresh key),
//              each to the next server in turn; kills the victim's process
//              group with SIGKILL after leadInMs, and answers
//              'failover-result' with the time from the kill to the first
//              acknowledgement of a write sent after it.

import { Etcd3 } from 'etcd3';
import type { ApiObject } from '../../../core/api/index.js';
import { ApiError, GrpcConnection } from '../../../core/grpc/index.js';
import { API_SERVICE_NAME, API_SERVICE_SPEC } from '../../../core/master/index.js';
import { listen, on, onStop, send } from '../lib/channel.js';

type Write = (n: number, seq: number, timeoutMs: number) => Promise<void>;

let kind: 'drover' | 'etcd' = 'drover';
let grpcs: GrpcConnection[] = [];
let etcds: Etcd3[] = [];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const payload = (bytes: number, seed: string): string => (seed + '.'.repeat(bytes)).slice(0, bytes);

onStop(async () => {
  for (const g of grpcs) g.close();
  for (const e of etcds) e.close();
  await Promise.resolve();
});

/** Rejects after `ms` unless `p` settles first. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const pod = (name: string, bytes: number, seed: string) => ({
  apiVersion: 'drover/v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { 'bench/payload': payload(bytes, seed) } },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

on('init', async (m) => {
  kind = m['system'] as 'drover' | 'etcd';
  const addresses = m['addresses'] as string[];
  if (kind === 'drover') grpcs = addresses.map((a) => new GrpcConnection(a, API_SERVICE_NAME, API_SERVICE_SPEC));
  else etcds = addresses.map((a) => new Etcd3({ hosts: [`http://${a}`] }));
  await Promise.resolve();
  send({ type: 'inited' });
});

/** One writer per loop: drover keeps its own Pod and updates it; etcd puts its own key. */
function writer(n: number, bytes: number): Write {
  if (kind === 'etcd') {
    const client = etcds[n % etcds.length]!;
    return (_n, seq, timeoutMs) => within(client.put(`bench/c${n}`).value(payload(bytes, String(seq))).exec(), timeoutMs).then(() => undefined);
  }
  const api = grpcs[n % grpcs.length]!;
  const name = `bench-c${n}`;
  let last: ApiObject | null = null;
  return async (_n, seq, timeoutMs) => {
    if (last === null) {
      try {
        last = await api.unary<ApiObject>('Create', { object: pod(name, bytes, String(seq)) }, { deadlineMs: timeoutMs });
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'ALREADY_EXISTS')) throw e;
        last = await api.unary<ApiObject>('Get', { kind: 'Pod', namespace: 'default', name }, { deadlineMs: timeoutMs });
        throw e;
      }
      return;
    }
    const object = { ...last, metadata: { ...last.metadata, annotations: { 'bench/payload': payload(bytes, String(seq)) } } };
    try {
      last = await api.unary<ApiObject>('Update', { object }, { deadlineMs: timeoutMs });
    } catch (e) {
      last = null; // unknown outcome or conflict: fetch it again before the next update
      throw e;
    }
  };
}

on('throughput', async (m) => {
  const concurrency = m['concurrency'] as number;
  const bytes = m['bytes'] as number;
  const warmupMs = m['warmupMs'] as number;
  const windowMs = m['windowMs'] as number;
  const windows = m['windows'] as number;
  const timeoutMs = m['timeoutMs'] as number;
  let running = true;
  let measuring = false;
  let acked = 0;
  const errors: Record<string, number> = {};
  const latencies: number[] = [];

  const loop = async (n: number): Promise<void> => {
    const write = writer(n, bytes);
    for (let seq = 0; running; seq++) {
      const t0 = performance.now();
      try {
        await write(n, seq, timeoutMs);
        acked++;
        if (measuring) latencies.push(performance.now() - t0);
      } catch (e) {
        const code = e instanceof ApiError ? e.code : e instanceof Error ? e.constructor.name : 'unknown';
        errors[code] = (errors[code] ?? 0) + 1;
        await sleep(20);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, (_, n) => loop(n));
  await sleep(warmupMs);
  measuring = true;
  const rates: number[] = [];
  for (let i = 0; i < windows; i++) {
    const a0 = acked;
    const t0 = performance.now();
    await sleep(windowMs);
    rates.push(((acked - a0) / (performance.now() - t0)) * 1000);
  }
  measuring = false;
  running = false;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  send({
    type: 'throughput-result',
    rates,
    latency: { count: latencies.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: latencies.at(-1) ?? NaN },
    errors,
  });
});

on('failover', async (m) => {
  const victimPid = m['victimPid'] as number;
  const probeEveryMs = m['probeEveryMs'] as number;
  const timeoutMs = m['timeoutMs'] as number;
  const leadInMs = m['leadInMs'] as number;
  const maxWaitMs = m['maxWaitMs'] as number;
  const round = m['round'] as number;
  let killedAt = Number.POSITIVE_INFINITY;
  let firstAck: number | null = null;
  let probes = 0;
  let failed = 0;
  const probe = async (n: number): Promise<void> => {
    const sentAt = performance.now();
    try {
      if (kind === 'etcd') {
        await within(etcds[n % etcds.length]!.put(`failover/r${round}/p${n}`).value(payload(100, String(n))).exec(), timeoutMs);
      } else {
        await grpcs[n % grpcs.length]!.unary('Create', { object: pod(`failover-r${round}-p${n}`, 100, String(n)) }, { deadlineMs: timeoutMs });
      }
      const at = performance.now();
      if (sentAt > killedAt && firstAck === null) firstAck = at - killedAt;
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
  const result = firstAck as number | null;
  await Promise.all(outstanding);
  send({ type: 'failover-result', ms: result, probes, failed });
});

listen();
send({ type: 'ready' });
