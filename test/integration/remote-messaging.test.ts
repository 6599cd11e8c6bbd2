import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../support/cleanup.js';
import { natsServerFor, uniqueSystemName } from '../support/nats.js';
import type { PingAllResult, Pong, ReceiverReport, RelayResult, SenderStats } from './fixtures/behaviors.js';
import { startPeer, type Peer } from './fixtures/peer-process.js';

// Two actor systems in two OS processes over a real nats-server: A sends,
// B receives. Nothing is lost, order holds per sender-receiver pair, and
// refs work on either side of the wire.

const SENDERS = 4;
const PER_SENDER = 25_000;

describe('remote messaging between two processes over NATS', () => {
  const cleanup = new Cleanup();
  let a: Peer;
  let b: Peer;

  beforeAll(async () => {
    const nats = await natsServerFor(cleanup);
    [a, b] = await Promise.all([
      startPeer(cleanup, nats.url, uniqueSystemName('msg-a')),
      startPeer(cleanup, nats.url, uniqueSystemName('msg-b')),
    ]);
  });

  afterAll(() => cleanup.run());

  it(`delivers ${SENDERS} x ${PER_SENDER} numbered messages, none lost, in order per sender`, async () => {
    const blast = await a.process.request<{ senders: string[]; stats: SenderStats[] }>(
      { cmd: 'blast', target: b.paths.receiver, senders: SENDERS, perSender: PER_SENDER, chunk: 500, timeoutMs: 45_000 },
      50_000,
    );

    // What B says to each sender's Done, which travels behind that sender's last Seq.
    expect(blast.stats).toHaveLength(SENDERS);
    for (const [i, s] of blast.stats.entries()) {
      expect(s.sender).toBe(blast.senders[i]);
      expect(s.sender.startsWith(`drover://${a.name}/user/`)).toBe(true);
      expect({ sender: s.sender, received: s.received, violations: s.violations, firstViolation: s.firstViolation, last: s.last }).toEqual({
        sender: s.sender,
        received: PER_SENDER,
        violations: 0,
        firstViolation: null,
        last: PER_SENDER,
      });
    }

    // B's own view, asked inside B: exactly these senders and nothing else.
    const { reply: report } = await b.process.request<{ reply: ReceiverReport }>({ cmd: 'ask', path: b.paths.receiver, message: { type: 'Report' } });
    expect(report.total).toBe(SENDERS * PER_SENDER);
    expect(report.anonymous).toBe(0);
    expect(Object.keys(report.senders).sort()).toEqual([...blast.senders].sort());
    for (const s of Object.values(report.senders)) expect(s).toEqual({ received: PER_SENDER, violations: 0, firstViolation: null, last: PER_SENDER });

    // Neither side dropped anything on the floor.
    expect((await a.process.request({ cmd: 'stats' }))['deadLetters']).toBe(0);
    expect((await b.process.request({ cmd: 'stats' }))['deadLetters']).toBe(0);
  });

  it('answers asks across processes in both directions', async () => {
    const fromA = await a.process.request<{ reply: Pong }>({ cmd: 'ask', path: b.paths.echo, message: { type: 'Ping', n: 41 } });
    expect(fromA.reply).toEqual({ type: 'Pong', n: 41, by: b.name });
    const fromB = await b.process.request<{ reply: Pong }>({ cmd: 'ask', path: a.paths.echo, message: { type: 'Ping', n: 42 } });
    expect(fromB.reply).toEqual({ type: 'Pong', n: 42, by: a.name });
  });

  it('replies to the sender of a tell across processes, in order', async () => {
    const result = await a.process.request<PingAllResult>({ cmd: 'pingpong', target: b.paths.echo, count: 1_000 });
    expect(result).toMatchObject({ pongs: 1_000, outOfOrder: 0, by: [b.name] });
  });

  it('lets a ref sent inside a message be used by the other process, and a ref sent back be used here', async () => {
    // A's collector sends its own ref to B's relay; B answers through that ref
    // only, enclosing its relay's ref, which A then asks.
    const result = await a.process.request<RelayResult & { collector: string }>({ cmd: 'relay', relay: b.paths.relay });
    expect(result.collector.startsWith(`drover://${a.name}/user/`)).toBe(true);
    expect(result.relayPath).toBe(b.paths.relay);
    expect(result.relayRefIsLocal).toBe(false);
    expect(result.pong).toEqual({ type: 'Pong', n: 7, by: b.name });
  });
});
