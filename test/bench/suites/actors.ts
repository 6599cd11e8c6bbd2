// The actor runtime's figures (DESIGN.md, "Performance targets").

import { startNatsServer } from '../../../chaos/launcher/nats-server.js';
import { emit, fmt, median, progress } from '../lib/report.js';
import type { Cleanup, Worker } from '../lib/workers.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined ? dflt : Number(v);
};

async function localTell(cleanup: Cleanup): Promise<void> {
  const runs = env('BENCH_LOCAL_RUNS', 5);
  const count = env('BENCH_LOCAL_COUNT', 10_000_000);
  progress(`actors.local_tell_per_s: warm-up 2M, then ${runs} runs of ${fmt(count)} messages (window 16k), then the same with no window`);
  const w = cleanup.worker('local-tell', 'actors-local.ts');
  await w.next('ready');
  const r = await w.request<{ type: string; rates: number[]; unbounded: number[] }>(
    { type: 'tell', runs, count, warmup: 2_000_000, unboundedRuns: env('BENCH_LOCAL_UNBOUNDED_RUNS', 2) },
    'tell-result',
    600_000,
  );
  await w.stop();
  emit({
    bench: 'actors.local_tell_per_s',
    value: median(r.rates),
    unit: 'msg/s',
    details: { runs: r.rates, statistic: 'median', count, window: 16_000, noWindowRuns: r.unbounded },
  });
}

async function idleActor(cleanup: Cleanup): Promise<void> {
  const count = env('BENCH_IDLE_COUNT', 1_000_000);
  progress(`actors.idle_actor_bytes: ${fmt(count)} idle actors`);
  const w = cleanup.worker('idle-actors', 'actors-local.ts', { nodeFlags: ['--expose-gc', '--max-old-space-size=8192'] });
  await w.next('ready');
  const r = await w.request<{ type: string; bytesPerActor: number; before: number; after: number }>({ type: 'idle', count }, 'idle-result', 600_000);
  await w.stop();
  emit({ bench: 'actors.idle_actor_bytes', value: r.bytesPerActor, unit: 'bytes', details: { count, heapBefore: r.before, heapAfter: r.after } });
}

type Peer = 'drover' | 'raw';
const PEER_NAME = { tell: 'nats.js raw', ask: 'nats.js raw' } as const;

/** One timed run: arm the receiver, start the sender, wait for the receiver's 'done'. */
async function tellRun(recv: Worker, snd: Worker, peer: Peer, total: number): Promise<number> {
  const flow = { total, batch: 1_000, window: 100_000, ackEvery: 10_000 };
  await recv.request({ type: 'arm', peer, flow }, 'armed');
  const done = recv.next('done', 300_000);
  const t0 = performance.now();
  snd.send({ type: 'go', peer, flow });
  await done;
  return (total / (performance.now() - t0)) * 1000;
}

async function remote(cleanup: Cleanup): Promise<void> {
  const nats = await startNatsServer();
  cleanup.add(() => nats.stop());
  progress(`nats-server on ${nats.url}`);
  const recv = cleanup.worker('remote-receiver', 'actors-remote.ts', { args: ['receiver'] });
  const snd = cleanup.worker('remote-sender', 'actors-remote.ts', { args: ['sender'] });
  await Promise.all([recv.next('ready'), snd.next('ready')]);
  await recv.request({ type: 'init', url: nats.url }, 'inited');
  await snd.request({ type: 'init', url: nats.url }, 'inited');

  // tell: warm both up, then alternate runs so drift hits both alike.
  const runs = env('BENCH_REMOTE_RUNS', 3);
  const count = env('BENCH_REMOTE_COUNT', 1_000_000);
  progress(`actors.remote_tell_per_s: warm-up 200k each, then ${runs} alternating runs of ${fmt(count)} messages`);
  await tellRun(recv, snd, 'drover', 200_000);
  await tellRun(recv, snd, 'raw', 200_000);
  const rates: Record<Peer, number[]> = { drover: [], raw: [] };
  for (let i = 0; i < runs; i++) {
    for (const peer of ['drover', 'raw'] as const) {
      const r = await tellRun(recv, snd, peer, count);
      rates[peer].push(r);
      progress(`  tell ${peer} run ${i + 1}/${runs}: ${fmt(r)} msg/s`);
    }
  }
  emit({
    bench: 'actors.remote_tell_per_s',
    value: median(rates.drover),
    unit: 'msg/s',
    peer: { name: PEER_NAME.tell, value: median(rates.raw), better: 'higher' },
    details: { statistic: 'median', runs: rates, count },
  });

  // ask: 64 outstanding at all times, rate over fixed windows after a warm-up.
  const askRuns = env('BENCH_ASK_RUNS', 3);
  const runMs = env('BENCH_ASK_RUN_MS', 3_000);
  progress(`actors.remote_ask_per_s: 64 outstanding; warm-up 2 s, then ${askRuns} windows of ${runMs} ms`);
  const ask: Record<Peer | 'raw-request', number[]> = { drover: [], raw: [], 'raw-request': [] };
  for (const peer of ['drover', 'raw', 'raw-request'] as const) {
    const r = await snd.request<{ type: string; rates: number[] }>(
      { type: 'ask', peer, concurrency: 64, warmupMs: 2_000, runMs, runs: askRuns },
      'ask-result',
      120_000,
    );
    ask[peer] = r.rates;
    progress(`  ask ${peer}: ${r.rates.map(fmt).join(', ')} asks/s`);
  }
  emit({
    bench: 'actors.remote_ask_per_s',
    value: median(ask.drover),
    unit: 'asks/s',
    peer: { name: PEER_NAME.ask, value: median(ask.raw), better: 'higher' },
    details: { statistic: 'median', runs: ask, concurrency: 64, natsJsRequest: median(ask['raw-request']) },
  });
}

export async function actorsSuite(cleanup: Cleanup): Promise<void> {
  await localTell(cleanup);
  await idleActor(cleanup);
  await remote(cleanup);
}
