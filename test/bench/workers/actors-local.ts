// Local actor figures, each in a fresh process:
//   tell: one sender actor, one receiver actor, one system, no transport;
//   idle: heap per idle actor over many spawned (needs node --expose-gc).

import { ActorSystem, realWorld, type ActorContext, type ActorRef } from '../../../actors/index.js';
import { listen, on, onStop, send } from '../lib/channel.js';

const world = realWorld();
let system: ActorSystem | null = null;

async function getSystem(): Promise<ActorSystem> {
  return (system ??= await ActorSystem.start({ name: 'bench-local', world }));
}

onStop(async () => {
  await system?.terminate();
});

// ---- tell -------------------------------------------------------------------

type RecvMsg =
  | { readonly type: 'm'; readonly seq: number }
  | { readonly type: 'arm'; readonly total: number; readonly window: number; readonly sender: ActorRef<SendMsg>; readonly done: (ms: number) => void };
type SendMsg =
  | { readonly type: 'go'; readonly total: number; readonly window: number }
  | { readonly type: 'pump' }
  | { readonly type: 'ack'; readonly received: number };

/**
 * Sends `total` messages in batches of BATCH tells per handled message,
 * re-triggering itself with a `pump` message, so the dispatcher interleaves
 * it with the receiver. It keeps at most `window` messages unacknowledged
 * (the receiver acks every BATCH), so the receiver's mailbox stays bounded
 * instead of growing by the whole run: the dispatcher's fairness counts
 * messages handled, so a sender doing BATCH tells per message outruns a
 * receiver handling one tell per message (see RESULTS.md).
 */
const BATCH = 1_000;
const WINDOW = 16 * BATCH;

function sender(target: ActorRef<RecvMsg>) {
  return (ctx: ActorContext<SendMsg>) => {
    let total = 0;
    let window = WINDOW;
    let sent = 0;
    let acked = 0;
    let stalled = false;
    const self = ctx.self;
    const PUMP: SendMsg = { type: 'pump' };
    const pump = (): void => {
      if (sent >= total) return;
      if (sent - acked >= window) {
        stalled = true;
        return;
      }
      const end = Math.min(total, sent + BATCH);
      for (let seq = sent; seq < end; seq++) target.tell({ type: 'm', seq });
      sent = end;
      self.tell(PUMP);
    };
    return (m: SendMsg): void => {
      switch (m.type) {
        case 'go':
          total = m.total;
          window = m.window;
          sent = 0;
          acked = 0;
          stalled = false;
          return pump();
        case 'pump':
          return pump();
        case 'ack':
          acked = m.received;
          if (stalled) {
            stalled = false;
            pump();
          }
          return;
      }
    };
  };
}

function receiver() {
  return () => {
    let total = 0;
    let count = 0;
    let t0 = 0;
    let ackTo: ActorRef<SendMsg> | null = null;
    let done: (ms: number) => void = () => undefined;
    return (m: RecvMsg): void => {
      if (m.type === 'arm') {
        total = m.total;
        count = 0;
        ackTo = m.sender;
        done = m.done;
        t0 = performance.now();
        ackTo.tell({ type: 'go', total, window: m.window });
        return;
      }
      count++;
      if (count % BATCH === 0) ackTo!.tell({ type: 'ack', received: count });
      if (count === total) done(performance.now() - t0);
    };
  };
}

on('tell', async (m) => {
  const sys = await getSystem();
  const runs = m['runs'] as number;
  const count = m['count'] as number;
  const warmup = m['warmup'] as number;
  const recv = sys.spawn<RecvMsg>(receiver(), 'receiver');
  const snd = sys.spawn<SendMsg>(sender(recv), 'sender');
  const once = (total: number, window: number): Promise<number> =>
    new Promise((resolve) => recv.tell({ type: 'arm', total, window, sender: snd, done: resolve }));
  const measure = async (label: string, n: number, window: number): Promise<number[]> => {
    const rates: number[] = [];
    for (let i = 0; i < n; i++) {
      const ms = await once(count, window);
      rates.push((count / ms) * 1000);
      process.stderr.write(`[actors-local] tell ${label} run ${i + 1}/${n}: ${Math.round((count / ms) * 1000).toLocaleString('en-US')} msg/s\n`);
    }
    return rates;
  };
  await once(warmup, WINDOW);
  const rates = await measure(`window ${WINDOW}`, runs, WINDOW);
  // The same sender with no window at all, for the record (not the figure).
  const unbounded = await measure('no window', m['unboundedRuns'] as number, Number.POSITIVE_INFINITY);
  send({ type: 'tell-result', rates, unbounded });
});

// ---- idle -------------------------------------------------------------------

function gcNow(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
}

async function settled(sys: ActorSystem): Promise<void> {
  // Spawning queues a start message per actor; wait until all have run.
  while (sys.dispatcher.pending > 0) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
}

on('idle', async (m) => {
  const count = m['count'] as number;
  const sys = await getSystem();
  // An idle actor with a little state: a counter in its setup closure.
  const behavior = (): ((msg: number) => void) => {
    let seen = 0;
    return (msg: number) => {
      seen += msg;
    };
  };
  // Warm the spawn path, then stop those actors.
  const warm: ActorRef<number>[] = [];
  for (let i = 0; i < 1_000; i++) warm.push(sys.spawn(behavior));
  await settled(sys);
  for (const r of warm) sys.stop(r);
  await settled(sys);
  // Our own array of refs is allocated before the baseline, so it is not counted.
  const refs = new Array<ActorRef<number> | undefined>(count).fill(undefined);
  gcNow();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) refs[i] = sys.spawn(behavior);
  await settled(sys);
  gcNow();
  const after = process.memoryUsage().heapUsed;
  // Every actor still answers (they are alive, not collected).
  refs[count - 1]!.tell(1);
  send({ type: 'idle-result', bytesPerActor: (after - before) / count, before, after, count });
});

listen();
send({ type: 'ready' });
