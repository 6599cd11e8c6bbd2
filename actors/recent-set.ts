/**
 * The last `capacity` keys seen, oldest forgotten first: for dropping
 * duplicates of messages that may be delivered twice (the simulated network
 * duplicates frames; a retry may race its original). Insertion order only:
 * seeing a key again does not make it younger.
 */
export class RecentSet {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`RecentSet capacity: must be >= 1, got ${capacity}`);
  }

  /** Records `key`; false when it was seen already (a duplicate). */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value!);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }
}

/** Whether `path` is an ask's reply path: unique to that ask (and to the asking system's incarnation). */
export function isAskReplyPath(path: string): boolean {
  return path.includes('/temp/');
}
