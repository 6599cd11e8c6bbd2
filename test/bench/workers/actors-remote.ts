// One side of the remote figures: `receiver` or `sender` (argv[2]). Each
// process holds both contenders on separate NATS connections:
//   drover: an actor system on a NatsTransport (actor -> remote actor);
//   raw:    a bare nats.js connection, one publish per message, the payload
//           the same object msgpack-encoded (the peer).
// Both move messages the same way: the sender sends BATCH messages per turn
// and keeps at most WINDOW unacknowledged; the receiver acks every ACK_EVERY
// and tells the parent when it has received the run's total.

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Packr } from 'msgpackr';
import { ActorSystem, NatsTransport, realWorld, type ActorContext, type ActorRef } from '../../../actors/index.js';
import { listen, on, onStop, send } from '../lib/channel.js';

const role = process.argv[2];
if (role !== 'receiver' && role !== 'sender') throw new Error(`role must be receiver or sender, got ${role}`);

const RECV_SYSTEM = 'bench-recv';
const SEND_SYSTEM = 'bench-send';
const SINK_PATH = `drover://${RECV_SYSTEM}/user/sink`;
const ECHO_PATH = `drover://${RECV_SYSTEM}/user/echo`;
const SOURCE_PATH = `drover://${SEND_SYSTEM}/user/source`;
const RAW_MSG = 'bench.raw.m';
const RAW_ACK = 'bench.raw.ack';
const RAW_ASK = 'bench.raw.ask';

// The same msgpack options as the actor codec (actors/remote/codec.ts).
const packr = new Packr({ useRecords: false, moreTypes: true });

interface Flow {
  readonly total: number;
  readonly batch: number;
  readonly window: number;
  readonly ackEvery: number;
}

type Msg = { readonly type: 'm'; readonly seq: number };
type Ack = { readonly type: 'ack'; readonly received: number };
type Query = { readonly type: 'q'; readonly seq: number };

let system: ActorSystem | null = null;
let transport: NatsTransport | null = null;
let raw: NatsConnection | null = null;
let stopping = false;

onStop(async () => {
  stopping = true;
  await system?.terminate();
  await transport?.close();
  await raw?.drain().catch(() => raw?.close());
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const turn = () => new Promise<void>((r) => setImmediate(r));

on('init', async (m) => {
  const url = m['url'] as string;
  transport = await NatsTransport.connect({ servers: url, connectionName: `bench-drover-${role}` });
  system = await ActorSystem.start({ name: role === 'receiver' ? RECV_SYSTEM : SEND_SYSTEM, world: realWorld({ transport }) });
  // noAsyncTraces: nats.js would otherwise build two Error objects (stack
  // traces) per request() up front; it changes nothing for publish/subscribe.
  raw = await connect({ servers: url, name: `bench-raw-${role}`, noAsyncTraces: true });
  if (role === 'receiver') initReceiver(system, raw);
  else initSender(system, raw);
  await raw.flush();
  send({ type: 'inited' });
});

// ---- receiver ---------------------------------------------------------------

type SinkMsg = Msg | { readonly type: 'arm'; readonly flow: Flow; readonly armed: () => void };

function initReceiver(sys: ActorSystem, nc: NatsConnection): void {
  const source = sys.resolve<Ack>(SOURCE_PATH);
  sys.spawn<SinkMsg>(
    () => {
      let flow: Flow | null = null;
      let count = 0;
      return (msg: SinkMsg): void => {
        if (msg.type === 'arm') {
          flow = msg.flow;
          count = 0;
          return msg.armed();
        }
        count++;
        if (count % flow!.ackEvery === 0 || count === flow!.total) source.tell({ type: 'ack', received: count });
        if (count === flow!.total) send({ type: 'done', count });
      };
    },
    'sink',
  );
  sys.spawn<Query>(
    (ctx) => (q: Query) => {
      ctx.reply({ type: 'r', seq: q.seq });
    },
    'echo',
  );

  // The raw peer: the same counting, acks on a subject of their own.
  let rawFlow: Flow | null = null;
  let rawCount = 0;
  nc.subscribe(RAW_MSG, {
    callback: (err, msg) => {
      if (err) throw err;
      packr.unpack(msg.data);
      rawCount++;
      if (rawCount % rawFlow!.ackEvery === 0 || rawCount === rawFlow!.total) nc.publish(RAW_ACK, packr.pack({ type: 'ack', received: rawCount }));
      if (rawCount === rawFlow!.total) send({ type: 'done', count: rawCount });
    },
  });
  nc.subscribe(RAW_ASK, {
    callback: (err, msg) => {
      if (err) throw err;
      const q = packr.unpack(msg.data) as Query;
      msg.respond(packr.pack({ type: 'r', seq: q.seq }));
    },
  });

  on('arm', (m) => {
    const flow = m['flow'] as Flow;
    if (m['peer'] === 'raw') {
      rawFlow = flow;
      rawCount = 0;
      send({ type: 'armed' });
    } else {
      sys.resolve<SinkMsg>(SINK_PATH).tell({ type: 'arm', flow, armed: () => send({ type: 'armed' }) });
    }
  });
}

// ---- sender -----------------------------------------------------------------

type SourceMsg = { readonly type: 'go'; readonly flow: Flow } | { readonly type: 'pump' } | Ack;

/** Sends BATCH tells per handled message, re-triggering itself, within the window. */
function source(target: ActorRef<Msg>) {
  return (ctx: ActorContext<SourceMsg>) => {
    let flow: Flow = { total: 0, batch: 1, window: 1, ackEvery: 1 };
    let sent = 0;
    let acked = 0;
    let stalled = false;
    const PUMP: SourceMsg = { type: 'pump' };
    const pump = (): void => {
      if (sent >= flow.total) return;
      if (sent - acked >= flow.window) {
        stalled = true;
        return;
      }
      const end = Math.min(flow.total, sent + flow.batch);
      for (let seq = sent; seq < end; seq++) target.tell({ type: 'm', seq });
      sent = end;
      ctx.self.tell(PUMP);
    };
    return (m: SourceMsg): void => {
      switch (m.type) {
        case 'go':
          flow = m.flow;
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

function initSender(sys: ActorSystem, nc: NatsConnection): void {
  const src = sys.spawn<SourceMsg>(source(sys.resolve<Msg>(SINK_PATH)), 'source');

  // The raw peer: the same window and batches, one publish per message,
  // yielding to the event loop between batches.
  let flow: Flow = { total: 0, batch: 1, window: 1, ackEvery: 1 };
  let sent = 0;
  let acked = 0;
  let stalled = false;
  const pump = (): void => {
    if (sent >= flow.total || stopping) return;
    if (sent - acked >= flow.window) {
      stalled = true;
      return;
    }
    const end = Math.min(flow.total, sent + flow.batch);
    for (let seq = sent; seq < end; seq++) nc.publish(RAW_MSG, packr.pack({ type: 'm', seq }));
    sent = end;
    setImmediate(pump);
  };
  nc.subscribe(RAW_ACK, {
    callback: (err, msg) => {
      if (err) throw err;
      acked = (packr.unpack(msg.data) as Ack).received;
      if (stalled) {
        stalled = false;
        pump();
      }
    },
  });

  // Request-reply by hand, as an actor ask does it: a reply subject of our
  // own, an id in the payload, a timer per request.
  const inbox = `bench.raw.reply.${process.pid}`;
  const replyOpts = { reply: inbox };
  const pending = new Map<number, { resolve: (v: unknown) => void; timer: NodeJS.Timeout }>();
  let nextId = 0;
  nc.subscribe(inbox, {
    callback: (err, msg) => {
      if (err) throw err;
      const r = packr.unpack(msg.data) as { seq: number };
      const p = pending.get(r.seq);
      if (p === undefined) return;
      pending.delete(r.seq);
      clearTimeout(p.timer);
      p.resolve(r);
    },
  });
  const rawAsk = (_seq: number, timeoutMs: number): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`raw ask ${id} timed out`));
      }, timeoutMs);
      pending.set(id, { resolve, timer });
      nc.publish(RAW_ASK, packr.pack({ type: 'q', seq: id }), replyOpts);
    });

  on('go', (m) => {
    const f = m['flow'] as Flow;
    if (m['peer'] === 'raw') {
      flow = f;
      sent = 0;
      acked = 0;
      stalled = false;
      pump();
    } else {
      src.tell({ type: 'go', flow: f });
    }
  });

  on('ask', async (m) => {
    const concurrency = m['concurrency'] as number;
    const warmupMs = m['warmupMs'] as number;
    const runMs = m['runMs'] as number;
    const runs = m['runs'] as number;
    const timeoutMs = 10_000;
    const echo = sys.resolve<Query>(ECHO_PATH);
    const peer = m['peer'] as 'drover' | 'raw' | 'raw-request';
    const askOnce: (seq: number) => Promise<unknown> =
      peer === 'drover'
        ? (seq) => sys.ask(echo, { type: 'q', seq }, { timeoutMs })
        : peer === 'raw'
          ? (seq) => rawAsk(seq, timeoutMs)
          : (seq) => nc.request(RAW_ASK, packr.pack({ type: 'q', seq }), { timeout: timeoutMs }).then((r) => packr.unpack(r.data));
    let completed = 0;
    let running = true;
    const loop = async (): Promise<void> => {
      while (running) {
        const r = (await askOnce(completed)) as { type?: string };
        if (r.type !== 'r') throw new Error(`unexpected reply ${JSON.stringify(r)}`);
        completed++;
      }
    };
    const loops = Array.from({ length: concurrency }, loop);
    await sleep(warmupMs);
    const rates: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c0 = completed;
      const t0 = performance.now();
      await sleep(runMs);
      rates.push(((completed - c0) / (performance.now() - t0)) * 1000);
    }
    running = false;
    await Promise.all(loops);
    await turn();
    send({ type: 'ask-result', rates });
  });
}

listen();
send({ type: 'ready' });
