import type { Readable } from 'node:stream';
import { LineFeed } from '../line-feed.js';
import { LineSplitter } from '../line-splitter.js';
import { FrameDecoder } from './frames.js';

/**
 * Demultiplexes docker's log frames into lines: stdout and stderr each have
 * their own splitter, so a line written in two pieces on one stream is not
 * cut by a line of the other.
 */
export class LogDemuxer {
  private readonly frames = new FrameDecoder();
  private readonly out = new LineSplitter();
  private readonly err = new LineSplitter();

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    for (const f of this.frames.push(chunk)) lines.push(...(f.stream === 2 ? this.err : this.out).push(f.payload));
    return lines;
  }

  /** The unterminated last lines (stdout's, then stderr's). */
  flush(): string[] {
    return [...this.out.flush(), ...this.err.flush()];
  }
}

/** The lines of a finished log read (the engine's whole answer). */
export function linesOfLogBuffer(body: Buffer): string[] {
  const demux = new LogDemuxer();
  return [...demux.push(body), ...demux.flush()];
}

/** A followed log stream as lines; the feed's return() destroys the stream. */
export function feedOfLogStream(stream: Readable): LineFeed {
  const demux = new LogDemuxer();
  const feed = new LineFeed({
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    close: () => stream.destroy(),
  });
  stream.on('data', (chunk: Buffer) => {
    try {
      for (const line of demux.push(chunk)) feed.push(line);
    } catch (e) {
      feed.fail(e);
      stream.destroy();
    }
  });
  stream.once('end', () => {
    for (const line of demux.flush()) feed.push(line);
    feed.end();
  });
  stream.once('error', (e) => feed.fail(e));
  stream.once('close', () => feed.end());
  return feed;
}
