/**
 * The keys a controller has to reconcile. A key is in one of three places:
 * waiting (dirty, to be taken), in flight (being reconciled), or both (it
 * changed again while in flight: it is taken again once the flight ends).
 * So one key is never reconciled twice at once, and no change is lost.
 */
export class WorkQueue {
  private readonly waiting = new Set<string>();
  private readonly inFlight = new Set<string>();

  /** Marks `key` to be reconciled (again). */
  add(key: string): void {
    this.waiting.add(key);
  }

  /** Up to `max` keys to reconcile now, moved in flight; keys in flight stay waiting. */
  take(max: number): string[] {
    const out: string[] = [];
    for (const key of this.waiting) {
      if (out.length >= max) break;
      if (this.inFlight.has(key)) continue;
      this.waiting.delete(key);
      this.inFlight.add(key);
      out.push(key);
    }
    return out;
  }

  /** The reconcile of `key` ended; true if the key waits again. */
  done(key: string): boolean {
    this.inFlight.delete(key);
    return this.waiting.has(key);
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Keys that can be taken now (waiting and not in flight). */
  get readyCount(): number {
    let n = 0;
    for (const k of this.waiting) if (!this.inFlight.has(k)) n++;
    return n;
  }
}
