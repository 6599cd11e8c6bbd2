/**
 * The simulated network between the actor systems of one simulation.
 *
 * Fault model, all drawn from the simulation's seeded random source:
 * - delay: every frame takes a uniform [minDelayMs, maxDelayMs] on the
 *   virtual clock; frames on one link (from -> to) stay in order unless
 * - reorder: with probability reorderRate a frame ignores that order and
 *   may overtake or be overtaken;
 * - drop: with probability dropRate a frame is lost;
 * - duplicate: with probability duplicateRate a frame arrives twice;
 * - partition: a cut link loses every frame sent on it, and every frame in
 *   flight on it when it arrives, until healed;
 * - crash: an unbound system (crashed) loses what arrives for it.
 * Frames are copied at send, so a sender cannot change them in flight.
 */
import type { Transport } from '../remote/transport.js';
import type { Clock } from '../world/clock.js';
import type { Random } from '../world/random.js';

export interface NetworkFaults {
  readonly dropRate: number;
  readonly duplicateRate: number;
  readonly reorderRate: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

export const NO_FAULTS: NetworkFaults = { dropRate: 0, duplicateRate: 0, reorderRate: 0, minDelayMs: 1, maxDelayMs: 5 };

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  cut: number;
}

type Handler = (frame: Uint8Array, subject: string) => void;

export class SimNetwork implements Transport {
  readonly maxFrameBytes = 1024 * 1024;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, cut: 0 };
  private faults: NetworkFaults;
  private readonly handlers = new Map<string, Handler>();
  private readonly cutLinks = new Set<string>();
  private readonly lastArrivalMs = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly trace: (event: string) => void,
    faults: Partial<NetworkFaults> = {},
  ) {
    this.faults = { ...NO_FAULTS, ...faults };
  }

  setFaults(faults: Partial<NetworkFaults>): void {
    this.faults = { ...this.faults, ...faults };
  }

  /** Cuts every link between the two groups, both ways. */
  partition(groupA: readonly string[], groupB: readonly string[]): void {
    for (const a of groupA) {
      for (const b of groupB) {
        this.cutLinks.add(`${a}>${b}`);
        this.cutLinks.add(`${b}>${a}`);
      }
    }
    this.trace(`partition [${groupA.join(',')}] | [${groupB.join(',')}]`);
  }

  /** Cuts `name` off from every other system it knows now. */
  isolate(name: string): void {
    this.partition([name], [...this.handlers.keys()].filter((n) => n !== name));
  }

  heal(): void {
    this.cutLinks.clear();
    this.trace('heal');
  }

  isCut(from: string, to: string): boolean {
    return this.cutLinks.has(`${from}>${to}`);
  }

  bind(systemName: string, onFrame: Handler): Promise<void> {
    this.handlers.set(systemName, onFrame);
    return Promise.resolve();
  }

  unbind(systemName: string): Promise<void> {
    this.handlers.delete(systemName);
    return Promise.resolve();
  }

  send(from: string, to: string, frame: Uint8Array): void {
    this.stats.sent++;
    const f = this.faults;
    if (this.isCut(from, to)) {
      this.stats.cut++;
      return this.trace(`cut ${from}>${to} ${frame.byteLength}`);
    }
    if (this.random.chance(f.dropRate)) {
      this.stats.dropped++;
      return this.trace(`drop ${from}>${to} ${frame.byteLength}`);
    }
    const copy = frame.slice();
    const copies = this.random.chance(f.duplicateRate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) this.schedule(from, to, copy);
  }

  close(): Promise<void> {
    this.handlers.clear();
    return Promise.resolve();
  }

  private schedule(from: string, to: string, frame: Uint8Array): void {
    const f = this.faults;
    const link = `${from}>${to}`;
    const now = this.clock.now();
    let at = now + Math.round(this.random.between(f.minDelayMs, f.maxDelayMs));
    if (!this.random.chance(f.reorderRate)) {
      // FIFO per link: never arrive before the previous frame on this link.
      at = Math.max(at, this.lastArrivalMs.get(link) ?? 0);
      this.lastArrivalMs.set(link, at);
    }
    this.clock.setTimer(at - now, () => this.arrive(from, to, frame));
  }

  private arrive(from: string, to: string, frame: Uint8Array): void {
    const handler = this.handlers.get(to);
    if (handler === undefined || this.isCut(from, to)) {
      this.stats.cut++;
      return this.trace(`lost ${from}>${to} ${frame.byteLength}`);
    }
    this.stats.delivered++;
    this.trace(`deliver ${from}>${to} ${frame.byteLength}`);
    handler(frame, `sim.${to}`);
  }
}
