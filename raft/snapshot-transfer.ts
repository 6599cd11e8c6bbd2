import type { NodeId, Snapshot, SnapshotMeta } from './core/types.js';
import type { SnapshotChunk } from './protocol.js';

/** Chunk size: well under NATS's default 1 MiB payload limit. */
export const SNAPSHOT_CHUNK_BYTES = 512 * 1024;
/** Chunks sent ahead of the last acknowledged one. */
const WINDOW_CHUNKS = 4;

interface Outgoing {
  readonly snapshot: Snapshot;
  readonly term: number;
  acked: number;
  sent: number;
  lastAckMs: number;
  retries: number;
}

/**
 * Sends snapshots in chunks with a small window. The receiver acknowledges
 * how many bytes it holds; after a silence the sender resumes from there,
 * and after `maxRetries` silences it gives up (the core is told, and probes
 * again later).
 */
export class SnapshotSender {
  private readonly out = new Map<NodeId, Outgoing>();

  constructor(
    private readonly self: NodeId,
    private readonly sendChunk: (to: NodeId, chunk: SnapshotChunk) => void,
    private readonly retryAfterMs = 2_000,
    private readonly maxRetries = 5,
  ) {}

  start(to: NodeId, snapshot: Snapshot, term: number, nowMs: number): void {
    const o: Outgoing = { snapshot, term, acked: 0, sent: 0, lastAckMs: nowMs, retries: 0 };
    this.out.set(to, o);
    this.pump(to, o);
  }

  /**
   * The receiver holds `received` bytes of the snapshot at `index`. Returns
   * true when that completes the transfer (the core must be told).
   *
   * Only progress moves the window and resets the silence timer: an ack that
   * repeats what the sender knows (the receiver saw a duplicate, or a chunk
   * after a gap) sends nothing, so a lost chunk is resent by `check` after a
   * silence instead of acks and chunks bouncing forever. An ack below what
   * was acknowledged means the receiver lost its partial copy (it restarted):
   * the transfer rewinds to what it holds now.
   */
  ack(from: NodeId, index: number, received: number, nowMs: number): boolean {
    const o = this.out.get(from);
    if (o === undefined || o.snapshot.meta.index !== index) return false;
    if (received >= o.snapshot.data.byteLength) {
      this.out.delete(from);
      return true;
    }
    if (received > o.acked) {
      o.acked = received;
      o.sent = Math.max(o.sent, received);
    } else if (received < o.acked) {
      o.acked = received;
      o.sent = received;
    } else {
      return false;
    }
    o.lastAckMs = nowMs;
    o.retries = 0;
    this.pump(from, o);
    return false;
  }

  /** Resends after silences; returns the followers given up on. */
  check(nowMs: number): NodeId[] {
    const failed: NodeId[] = [];
    for (const [to, o] of this.out) {
      if (nowMs - o.lastAckMs < this.retryAfterMs) continue;
      if (++o.retries > this.maxRetries) {
        this.out.delete(to);
        failed.push(to);
        continue;
      }
      o.lastAckMs = nowMs;
      o.sent = o.acked;
      this.pump(to, o);
    }
    return failed;
  }

  cancelAll(): void {
    this.out.clear();
  }

  /** Sends chunks from `sent` up to the window past `acked`; nothing once all are out. */
  private pump(to: NodeId, o: Outgoing): void {
    const total = o.snapshot.data.byteLength;
    const limit = o.acked + WINDOW_CHUNKS * SNAPSHOT_CHUNK_BYTES;
    // An empty snapshot is one empty chunk (sent on start and on each resend).
    if (total === 0) {
      this.sendChunk(to, this.chunkAt(o, 0, 0));
      return;
    }
    while (o.sent < total && o.sent < limit) {
      const end = Math.min(total, o.sent + SNAPSHOT_CHUNK_BYTES);
      this.sendChunk(to, this.chunkAt(o, o.sent, end));
      o.sent = end;
    }
  }

  private chunkAt(o: Outgoing, offset: number, end: number): SnapshotChunk {
    const data = o.snapshot.data;
    return { type: 'snap-chunk', from: this.self, term: o.term, meta: o.snapshot.meta, offset, total: data.byteLength, chunk: data.subarray(offset, end) };
  }
}

interface Incoming {
  readonly meta: SnapshotMeta;
  readonly buf: Uint8Array;
  received: number;
}

/** Reassembles snapshots chunk by chunk; duplicates and gaps are ignored. */
export class SnapshotReceiver {
  private readonly inc = new Map<NodeId, Incoming>();

  /** Returns the bytes now held and, once complete, the snapshot. */
  accept(c: SnapshotChunk): { received: number; snapshot: Snapshot | null } {
    let i = this.inc.get(c.from);
    if (i === undefined || i.meta.index !== c.meta.index || i.meta.term !== c.meta.term) {
      if (c.offset !== 0) return { received: 0, snapshot: null };
      i = { meta: c.meta, buf: new Uint8Array(c.total), received: 0 };
      this.inc.set(c.from, i);
    }
    if (c.offset === i.received && c.offset + c.chunk.byteLength <= i.buf.byteLength) {
      i.buf.set(c.chunk, c.offset);
      i.received += c.chunk.byteLength;
    }
    if (i.received < i.buf.byteLength) return { received: i.received, snapshot: null };
    this.inc.delete(c.from);
    return { received: i.received, snapshot: { meta: i.meta, data: i.buf } };
  }
}
