/**
 * What a bounded mailbox does with a message that does not fit. `fail` throws
 * MailboxFullError in a local sender's `tell`; a message from another process
 * cannot fail its sender (that `tell` returned long ago), so it becomes a
 * dead letter.
 */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest' | 'fail';

/** Mailbox choice per actor. Unbounded unless said otherwise. */
export type MailboxOptions =
  | { readonly kind: 'unbounded' }
  | { readonly kind: 'bounded'; readonly capacity: number; readonly overflow: OverflowPolicy };

export const UNBOUNDED: MailboxOptions = { kind: 'unbounded' };

/** The result of offering a message to a mailbox. */
export type OfferResult =
  | { readonly type: 'accepted' }
  | { readonly type: 'rejected' }
  | { readonly type: 'evicted'; readonly message: unknown; readonly sender: unknown };

const ACCEPTED: OfferResult = { type: 'accepted' };
const REJECTED: OfferResult = { type: 'rejected' };
const INITIAL_SLOTS = 16; // 8 messages; each takes two slots (message, sender)

/**
 * A FIFO of (message, sender) pairs on a growable ring buffer. The buffer is
 * allocated on first use, so an idle actor pays for none.
 * Invariant: 0 <= count <= slots.length / 2.
 */
export class Mailbox {
  private slots: unknown[] | null = null;
  private head = 0;
  private count = 0;

  constructor(private readonly options: MailboxOptions = UNBOUNDED) {
    if (options.kind === 'bounded' && !(options.capacity >= 1)) {
      throw new RangeError(`mailbox.capacity: must be >= 1, got ${options.capacity}`);
    }
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.options.kind === 'bounded' ? this.options.capacity : Number.POSITIVE_INFINITY;
  }

  offer(message: unknown, sender: unknown): OfferResult {
    const opts = this.options;
    if (opts.kind === 'bounded' && this.count >= opts.capacity) {
      if (opts.overflow !== 'drop-oldest') return REJECTED;
      const old = this.shiftPair();
      this.push(message, sender);
      return { type: 'evicted', message: old[0], sender: old[1] };
    }
    this.push(message, sender);
    return ACCEPTED;
  }

  /** Removes the oldest message, writing its sender to `out[0]`. Requires size > 0. */
  shift(out: { sender: unknown }): unknown {
    const s = this.slots!;
    const i = this.head;
    const msg = s[i];
    out.sender = s[i + 1];
    s[i] = undefined;
    s[i + 1] = undefined;
    this.head = (i + 2) & (s.length - 1);
    this.count--;
    return msg;
  }

  /** Empties the mailbox, handing every pair to `fn` in order. */
  drain(fn: (message: unknown, sender: unknown) => void): void {
    const out = { sender: undefined as unknown };
    while (this.count > 0) {
      const m = this.shift(out);
      fn(m, out.sender);
    }
    this.slots = null;
    this.head = 0;
  }

  private shiftPair(): [unknown, unknown] {
    const out = { sender: undefined as unknown };
    const m = this.shift(out);
    return [m, out.sender];
  }

  private push(message: unknown, sender: unknown): void {
    let s = this.slots;
    if (s === null) s = this.slots = new Array<unknown>(INITIAL_SLOTS);
    else if (this.count * 2 === s.length) s = this.grow(s);
    const tail = (this.head + this.count * 2) & (s.length - 1);
    s[tail] = message;
    s[tail + 1] = sender;
    this.count++;
  }

  private grow(s: unknown[]): unknown[] {
    const n = new Array<unknown>(s.length * 2);
    for (let k = 0; k < this.count * 2; k++) n[k] = s[(this.head + k) & (s.length - 1)];
    this.head = 0;
    this.slots = n;
    return n;
  }
}
