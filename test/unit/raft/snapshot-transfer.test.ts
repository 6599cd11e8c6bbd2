import { describe, expect, it } from 'vitest';
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
