// Docker multiplexes a container's stdout and stderr into one stream when it
// has no TTY (logs, attach, exec): each frame is an 8-byte header
// [stream, 0, 0, 0, size as a big-endian uint32] and `size` bytes of payload.

/** The stream a frame belongs to: 0 stdin, 1 stdout, 2 stderr. */
export type FrameStream = 0 | 1 | 2;

export interface Frame {
  readonly stream: FrameStream;
  readonly payload: Buffer;
}

const HEADER_BYTES = 8;

/**
 * Cuts docker's multiplexed stream into frames. Bytes come in chunks that
 * need not align with frames; a frame split across chunks waits for the rest.
 */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (buf.length >= HEADER_BYTES) {
      const stream = buf[0];
      const size = buf.readUInt32BE(4);
      if (stream !== 0 && stream !== 1 && stream !== 2) {
        throw new Error(`docker stream: bad frame header (stream byte ${String(stream)})`);
      }
      if (buf.length < HEADER_BYTES + size) break;
      frames.push({ stream, payload: buf.subarray(HEADER_BYTES, HEADER_BYTES + size) });
      buf = buf.subarray(HEADER_BYTES + size);
    }
    // Copy, so a small remainder does not pin a large chunk.
    this.pending = Buffer.from(buf);
    return frames;
  }

  /** Bytes of an incomplete frame held back (non-zero at the end means the stream was cut). */
  get pendingBytes(): number {
    return this.pending.length;
  }
}

/** Encodes one frame (tests, and the simulated engine). */
export function encodeFrame(stream: FrameStream, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
