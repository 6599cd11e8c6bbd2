import { hasQuorum } from './quorum.js';
import type { NodeId } from './types.js';

interface ReadRequest {
  readonly context: string;
  readonly index: number;
  /** The replica that asked (the leader itself, or a follower it forwards for). */
  readonly from: NodeId;
  readonly acks: Set<NodeId>;
}

/**
 * Read-index requests waiting for a quorum of heartbeat acks that prove the
 * leader is still the leader. Served in order: when one is confirmed, so is
 * every earlier one (their index is not larger).
 */
export class ReadOnlyQueue {
  private queue: ReadRequest[] = [];
  private readonly byContext = new Map<string, ReadRequest>();

  get pending(): number {
    return this.queue.length;
  }

  add(context: string, index: number, from: NodeId, self: NodeId): void {
    if (this.byContext.has(context)) return;
    const r: ReadRequest = { context, index, from, acks: new Set([self]) };
    this.queue.push(r);
    this.byContext.set(context, r);
  }

  /**
   * Records an ack for `context`; when its acks form a quorum of `voters`,
   * removes and returns it and every request before it. Else returns [].
   */
  ack(context: string, from: NodeId, voters: readonly NodeId[]): ReadRequest[] {
    const r = this.byContext.get(context);
    if (r === undefined) return [];
    r.acks.add(from);
    if (!hasQuorum(voters, (id) => r.acks.has(id))) return [];
    const n = this.queue.indexOf(r) + 1;
    const done = this.queue.slice(0, n);
    this.queue = this.queue.slice(n);
    for (const d of done) this.byContext.delete(d.context);
    return done;
  }

  /** The newest pending context: a heartbeat carrying it confirms all. */
  lastContext(): string {
    return this.queue[this.queue.length - 1]?.context ?? '';
  }

  reset(): void {
    this.queue = [];
    this.byContext.clear();
  }
}
