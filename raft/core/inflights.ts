/**
 * The appends sent to one follower and not yet acknowledged, as the last
 * index of each, oldest first. Full at `max` messages: the leader then waits.
 */
export class Inflights {
  private readonly items: number[] = [];

  constructor(readonly max: number) {}

  get count(): number {
    return this.items.length;
  }

  full(): boolean {
    return this.items.length >= this.max;
  }

  add(lastIndex: number): void {
    this.items.push(lastIndex);
  }

  /** Frees every message whose last index is <= `index`. */
  freeLE(index: number): void {
    let n = 0;
    while (n < this.items.length && this.items[n]! <= index) n++;
    if (n > 0) this.items.splice(0, n);
  }

  /** Frees the oldest message (a heartbeat answer shows the follower is there; its append may be lost). */
  freeFirstOne(): void {
    this.items.shift();
  }

  reset(): void {
    this.items.length = 0;
  }
}
