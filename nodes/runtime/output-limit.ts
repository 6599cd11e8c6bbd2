/** What an exec keeps of a command's output (stdout and stderr together). */
export const EXEC_OUTPUT_MAX_BYTES = 4096;

/**
 * Collects a command's output up to `maxBytes`, dropping the rest: an exec
 * probe that prints without end must not grow the agent's memory.
 */
export class OutputCollector {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  /** True once something was dropped. */
  truncated = false;

  constructor(private readonly maxBytes: number = EXEC_OUTPUT_MAX_BYTES) {}

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const room = this.maxBytes - this.bytes;
    if (room <= 0) {
      if (buf.length > 0) this.truncated = true;
      return;
    }
    const kept = buf.length > room ? buf.subarray(0, room) : buf;
    if (kept.length < buf.length) this.truncated = true;
    this.chunks.push(kept);
    this.bytes += kept.length;
  }

  /** The kept output as text (a character cut at the limit becomes U+FFFD). */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
