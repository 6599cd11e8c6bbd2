import { createHash, type Hash } from 'node:crypto';
import type { Logger } from 'pino';
import { createLogger } from '../log.js';
import { ActorSystem, type ActorSystemOptions } from '../system.js';
import { nextMacrotask } from '../world/wall-clock.js';
import { SeededRandom } from '../world/random.js';
import { VirtualClock } from '../world/virtual-clock.js';
import type { World } from '../world/world.js';
import { ScopedClock } from './scoped-clock.js';
import { SimNetwork, type NetworkFaults } from './sim-network.js';

/** Ready callbacks (each a dispatcher turn of up to 2,048 actor batches) at one virtual instant before the run is judged a livelock. */
const MAX_STEPS_PER_INSTANT = 10_000;

export interface SimulationOptions {
  /** The root seed: every random choice of the run derives from it. */
  readonly seed: number;
  readonly faults?: Partial<NetworkFaults>;
  /** Default: DROVER_SIM_LOG_LEVEL, else 'silent'. */
  readonly logLevel?: string;
}

export interface SimulationResult<T> {
  readonly seed: number;
  readonly value: T;
  /** sha256 of every traced event; equal seeds give equal hashes. */
  readonly traceHash: string;
  readonly events: number;
  readonly virtualMs: number;
}

/**
 * Many actor systems in one process on a virtual clock and a simulated
 * network, all driven by one seed. Time moves only when the test runs the
 * simulation (`runFor`, `runUntil`, `settle`); then it jumps from timer to
 * timer, running every actor that has work in between.
 */
export class Simulation {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly network: SimNetwork;
  readonly logger: Logger;
  private readonly ready: (() => void)[] = [];
  private readonly hash: Hash = createHash('sha256');
  private eventCount = 0;
  private readonly systems = new Map<string, { system: ActorSystem; clock: ScopedClock }>();
  private readonly startMs: number;

  constructor(readonly options: SimulationOptions) {
    this.clock = new VirtualClock();
    this.startMs = this.clock.now();
    this.random = new SeededRandom(options.seed);
    this.logger = createLogger({
      level: options.logLevel ?? process.env['DROVER_SIM_LOG_LEVEL'] ?? 'silent',
      base: { seed: options.seed },
      nowMs: () => this.clock.now(),
    });
    this.network = new SimNetwork(this.clock, this.random.fork('network'), (e) => this.trace(e), options.faults);
  }

  get seed(): number {
    return this.options.seed;
  }

  /** Virtual milliseconds since the simulation began. */
  get elapsedMs(): number {
    return this.clock.now() - this.startMs;
  }

  /** Starts a system in the simulated world (again, after a crash, for a restart). */
  async system(name: string, options: Partial<Omit<ActorSystemOptions, 'name' | 'world'>> = {}): Promise<ActorSystem> {
    const old = this.systems.get(name);
    if (old !== undefined && old.clock.alive) throw new Error(`simulated system ${name} is already running`);
    const clock = new ScopedClock(this.clock);
    const world: World = {
      kind: 'simulated',
      clock,
      random: this.random.fork(`system:${name}:${old ? 'restart' : 'first'}:${this.eventCount}`),
      schedule: (fn) => {
        if (clock.alive) this.ready.push(fn);
      },
      yieldToHost: (fn) => {
        if (clock.alive) this.ready.push(fn);
      },
      transport: this.network,
      logger: this.logger,
      trace: (e) => this.trace(e),
    };
    const system = await ActorSystem.start({ ...options, name, world });
    this.systems.set(name, { system, clock });
    this.trace(`start ${name}`);
    return system;
  }

  /** Kills a system as kill -9 would: its timers and queued work vanish. */
  crash(name: string): void {
    const s = this.systems.get(name);
    if (s === undefined || !s.clock.alive) return;
    s.clock.alive = false;
    s.system.crash();
    this.trace(`crash ${name}`);
  }

  /** Appends an event (stamped with virtual time) to the trace. */
  trace(event: string): void {
    this.eventCount++;
    this.hash.update(`${this.clock.now() - this.startMs} ${event}\n`);
  }

  get events(): number {
    return this.eventCount;
  }

  traceHash(): string {
    return this.hash.copy().digest('hex');
  }

  /** Runs until `predicate` holds or `limitMs` of virtual time passes. */
  async runUntil(predicate: () => boolean, limitMs: number = 60_000): Promise<boolean> {
    const deadline = this.clock.now() + limitMs;
    await this.drainReady();
    while (!predicate()) {
      if (!this.clock.fireNext(deadline)) {
        this.clock.advanceTo(deadline);
        return predicate();
      }
      await this.drainReady();
    }
    return true;
  }

  /** Runs `ms` of virtual time. */
  async runFor(ms: number): Promise<void> {
    await this.runUntil(() => false, ms);
  }

  /** Runs until `promise` settles and returns its value (or throws its error). */
  async settle<T>(promise: Promise<T>, limitMs: number = 60_000): Promise<T> {
    let done = false;
    const watched = promise.then(
      (v) => ((done = true), v),
      (e: unknown) => {
        done = true;
        throw e;
      },
    );
    watched.catch(() => undefined);
    if (!(await this.runUntil(() => done, limitMs))) {
      throw new Error(`seed ${this.seed}: promise did not settle within ${limitMs} virtual ms`);
    }
    return watched;
  }

  /** Runs everything that is ready, and what that makes ready, until quiet. */
  private async drainReady(): Promise<void> {
    let steps = 0;
    for (;;) {
      // Index loop: callbacks may append to the queue while it runs.
      for (let i = 0; i < this.ready.length; i++) {
        if (++steps > MAX_STEPS_PER_INSTANT) {
          this.ready.length = 0;
          throw new Error(
            `seed ${this.seed}: livelock: over ${MAX_STEPS_PER_INSTANT} dispatcher turns without virtual time passing (actors that message each other forever)`,
          );
        }
        this.ready[i]!();
      }
      this.ready.length = 0;
      // Let continuations of async handlers run; they may make more ready.
      await nextMacrotask();
      if (this.ready.length === 0) return;
    }
  }
}

/**
 * Runs `body` in a fresh simulation and reports the trace hash, so a test can
 * show that one seed always gives one run. A failing seed replays exactly.
 */
export async function simulate<T>(options: SimulationOptions, body: (sim: Simulation) => Promise<T> | T): Promise<SimulationResult<T>> {
  const sim = new Simulation(options);
  const value = await body(sim);
  return { seed: options.seed, value, traceHash: sim.traceHash(), events: sim.events, virtualMs: sim.elapsedMs };
}
