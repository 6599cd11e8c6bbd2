import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Snapshot } from '../../../raft/index.js';
import type { SnapshotChunk } from '../../../raft/protocol.js';
import { SNAPSHOT_CHUNK_BYTES, SnapshotReceiver, SnapshotSender } from '../../../raft/snapshot-transfer.js';

function snapshotOf(bytes: number): Snapshot {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 31) & 0xff;
  return { meta: { index: 42, term: 3, conf: { voters: ['a', 'b', 'c'], learners: [] } }, data };
}

describe('snapshot transfer in chunks', () => {
  it('sends chunks under NATS\'s 1 MiB limit and reassembles the snapshot exactly', () => {
    const sent: SnapshotChunk[] = [];
    const sender = new SnapshotSender('a', (_to, c) => sent.push(c));
    const receiver = new SnapshotReceiver();
    const snap = snapshotOf(Math.floor(2.5 * 1024 * 1024));
    sender.start('b', snap, 3, 0);
    let done: Snapshot | null = null;
    let finished = false;
    while (sent.length > 0 && !finished) {
      const c = sent.shift()!;
      expect(c.chunk.byteLength).toBeLessThanOrEqual(SNAPSHOT_CHUNK_BYTES);
      const r = receiver.accept(c);
      if (r.snapshot) done = r.snapshot;
      finished = sender.ack('b', 42, r.received, 1);
    }
    expect(finished).toBe(true);
    expect(done?.meta).toEqual(snap.meta);
    expect(Buffer.from(done!.data).equals(Buffer.from(snap.data))).toBe(true);
  });

  it('resumes from what the receiver holds after lost chunks, ignoring duplicates', () => {
    const sent: SnapshotChunk[] = [];
    const sender = new SnapshotSender('a', (_to, c) => sent.push(c), 1_000, 5);
    const receiver = new SnapshotReceiver();
    const snap = snapshotOf(3 * SNAPSHOT_CHUNK_BYTES + 10);
    sender.start('b', snap, 3, 0);
    // The first window arrives but its second chunk is lost.
    const first = sent.splice(0);
    const held = receiver.accept(first[0]!).received;
    for (const c of first.slice(2)) expect(receiver.accept(c).received).toBe(held);
    expect(receiver.accept(first[0]!).received).toBe(held); // a duplicate changes nothing
    // Silence: the sender resumes from the last acknowledged byte.
    expect(sender.check(2_000)).toEqual([]);
    let finished = false;
    let result: Snapshot | null = null;
    while (sent.length > 0 && !finished) {
      const r = receiver.accept(sent.shift()!);
      result ??= r.snapshot;
      finished = sender.ack('b', 42, r.received, 2_001);
    }
    expect(finished).toBe(true);
    expect(Buffer.from(result!.data).equals(Buffer.from(snap.data))).toBe(true);
  });

  it('gives up on a follower after repeated silences', () => {
    const sender = new SnapshotSender('a', () => undefined, 100, 2);
    sender.start('b', snapshotOf(10), 1, 0);
    expect(sender.check(100)).toEqual([]);
    expect(sender.check(200)).toEqual([]);
    expect(sender.check(300)).toEqual(['b']);
    expect(sender.check(400)).toEqual([]);
  });

  it('sends an empty snapshot as one empty chunk', () => {
    const sent: SnapshotChunk[] = [];
    const sender = new SnapshotSender('a', (_to, c) => sent.push(c));
    sender.start('b', snapshotOf(0), 1, 0);
    expect(sent).toHaveLength(1);
    const r = new SnapshotReceiver().accept(sent[0]!);
    expect(r.snapshot?.data.byteLength).toBe(0);
  });
});

/**
 * A lossy link between one sender and one receiver, stepped message by
 * message: every ack is fed back, as the replica does. Returns the snapshot
 * the receiver assembled, or null if the transfer had not finished within
 * `maxSteps` deliveries.
 */
function transfer(
  snap: Snapshot,
  opts: { drop: (n: number) => boolean; restartReceiverAt?: number; maxSteps?: number; retryAfterMs?: number },
): { result: Snapshot | null; finished: boolean; steps: number } {
  type InFlight = { kind: 'chunk'; c: SnapshotChunk } | { kind: 'ack'; received: number };
  const wire: InFlight[] = [];
  const retryAfterMs = opts.retryAfterMs ?? 1_000;
  const sender = new SnapshotSender('a', (_to, c) => wire.push({ kind: 'chunk', c }), retryAfterMs, 1_000);
  let receiver = new SnapshotReceiver();
  let now = 0;
  let result: Snapshot | null = null;
  let finished = false;
  sender.start('b', snap, 3, now);
  let n = 0;
  const maxSteps = opts.maxSteps ?? 10_000;
  for (let steps = 0; steps < maxSteps; steps++) {
    if (finished) return { result, finished, steps };
    if (opts.restartReceiverAt === steps) receiver = new SnapshotReceiver();
    const m = wire.shift();
    if (m === undefined) {
      // Silence: time passes until the sender's retry.
      now += retryAfterMs;
      expect(sender.check(now)).toEqual([]);
      continue;
    }
    now += 1;
    if (opts.drop(n++)) continue;
    if (m.kind === 'chunk') {
      const r = receiver.accept(m.c);
      result ??= r.snapshot;
      wire.push({ kind: 'ack', received: r.received });
    } else {
      finished = sender.ack('b', 42, m.received, now);
    }
  }
  return { result, finished, steps: maxSteps };
}

describe('snapshot transfer over a lossy link, acks fed back', () => {
  const snap = snapshotOf(5 * SNAPSHOT_CHUNK_BYTES + 123);

  it('finishes after a lost chunk in the middle of a window (no chunk/ack ping-pong)', () => {
    // Message 1 is the second chunk of the first window.
    const r = transfer(snap, { drop: (n) => n === 1 });
    expect(r.finished).toBe(true);
    expect(Buffer.from(r.result!.data).equals(Buffer.from(snap.data))).toBe(true);
    // Bounded traffic: the whole snapshot twice over at most, plus acks.
    expect(r.steps).toBeLessThan(40);
  });

  it('starts again from the first byte when the receiver restarts mid-transfer', () => {
    const r = transfer(snap, { drop: () => false, restartReceiverAt: 5 });
    expect(r.finished).toBe(true);
    expect(Buffer.from(r.result!.data).equals(Buffer.from(snap.data))).toBe(true);
  });

  it('finishes whatever chunks and acks are lost at random, with the receiver restarting or not', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 0.8, noNaN: true }), fc.option(fc.nat(30), { nil: undefined }), (seed, lossRate, restartAt) => {
        // mulberry32: a small seeded generator, so a failure replays from its seed.
        let a = seed >>> 0;
        const next = () => {
          a = (a + 0x6d2b79f5) >>> 0;
          let t = Math.imul(a ^ (a >>> 15), 1 | a);
          t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
          return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        };
        const r = transfer(snap, { drop: () => next() < lossRate, ...(restartAt === undefined ? {} : { restartReceiverAt: restartAt }), maxSteps: 200_000 });
        expect(r.finished).toBe(true);
        expect(Buffer.from(r.result!.data).equals(Buffer.from(snap.data))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('finishes an empty snapshot whose only chunk was lost', () => {
    const r = transfer(snapshotOf(0), { drop: (n) => n === 0 });
    expect(r.finished).toBe(true);
    expect(r.result?.data.byteLength).toBe(0);
  });
});
