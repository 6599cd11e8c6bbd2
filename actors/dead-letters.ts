import type { Logger } from 'pino';
import { messageTypeOf } from './errors.js';

/** Lines logged in full before logging only every `LOG_EVERY`th. */
const LOG_FIRST = 20;
const LOG_EVERY = 1000;

/**
 * Counts what could not be delivered or read, and logs it without flooding:
 * the first few of each kind in full, then one line per thousand with the
 * running count. Counting never stops, so tests and metrics see every one.
 */
export class Undeliverable {
  deadLetters = 0;
  badFrames = 0;

  constructor(private readonly log: Logger) {}

  deadLetter(recipient: string, message: unknown, sender: string | null, reason: string): void {
    const n = ++this.deadLetters;
    if (n <= LOG_FIRST || n % LOG_EVERY === 0) {
      this.log.warn({ recipient, messageType: messageTypeOf(message), sender, reason, deadLetters: n }, 'dead letter');
    }
  }

  badFrame(subject: string, reason: string): void {
    const n = ++this.badFrames;
    if (n <= LOG_FIRST || n % LOG_EVERY === 0) this.log.warn({ subject, reason, badFrames: n }, 'bad frame dropped');
  }
}
