import { Supervision, type ActorRef, type Backoff, type Behavior } from '../../actors/index.js';
import type { Say } from './say.js';

// Supervision in the demo: a supervisor hands a job to its worker child on a
// timer; the worker throws on every `crashEvery`-th job of each of its lives.
// The supervisor's one-for-one strategy restarts it after an exponential
// back-off, the new instance says so in postRestart, and the supervisor
// itself is never interrupted: its timer keeps handing out jobs, which wait
// in the worker's mailbox while it restarts. Only the job that crashed is lost.

export interface Job {
  readonly type: 'Job';
  readonly n: number;
}

/** What the worker throws on purpose. Carries the job and when it crashed. */
export class SimulatedFailure extends Error {
  override readonly name = 'SimulatedFailure';
  constructor(
    readonly job: number,
    readonly atMs: number,
  ) {
    super('simulated failure');
  }
}

interface NextJob {
  readonly type: 'NextJob';
}

/** Told to the supervisor by each new worker instance (postRestart). */
interface WorkerRestarted {
  readonly type: 'WorkerRestarted';
}

export type SupervisorMessage = NextJob | WorkerRestarted;

export interface SupervisedWorkerOptions {
  readonly jobIntervalMs: number;
  /** The worker fails on every crashEvery-th job of each life (>= 1). */
  readonly crashEvery: number;
  /** Restart back-off; jitter 0 keeps the printed delays easy to follow. */
  readonly backoff: Backoff;
  /**
   * More restarts than this within `withinMs` and the runtime stops the worker
   * for good (and logs it). The demo's cadence keeps well below the limit.
   */
  readonly maxRestarts: number;
  readonly withinMs: number;
}

export const DEMO_SUPERVISION: SupervisedWorkerOptions = {
  jobIntervalMs: 400,
  crashEvery: 3,
  backoff: { minMs: 20, maxMs: 1_000, factor: 2, jitter: 0 },
  // A crash every ~1.2 s makes about 4 restarts per 5 s: well below the limit.
  maxRestarts: 10,
  withinMs: 5_000,
};

/**
 * The worker. `restartCount` reads its supervisor's count of restarts; both
 * actors live in one process, and the supervisor updates the count in its
 * strategy's `decide`, on its own turn, before the restart is scheduled.
 */
function worker(crashEvery: number, restartCount: () => number, say: Say): Behavior<Job> {
  return (ctx) => {
    // State of this life only: the setup function runs again on every restart.
    let jobsThisLife = 0;
    return {
      preStart() {
        say('worker started (preStart)');
      },
      preRestart() {
        // Without this the default would run postStop, which would claim a stop.
      },
      postRestart(error) {
        const after = error instanceof SimulatedFailure ? ` ${ctx.clock.now() - error.atMs} ms after crashing on job ${error.job}` : '';
        say(`worker restarted (postRestart, restart #${restartCount()})${after}`);
        (ctx.parent as ActorRef<WorkerRestarted> | null)?.tell({ type: 'WorkerRestarted' });
      },
      receive(job) {
        jobsThisLife++;
        if (jobsThisLife % crashEvery === 0) throw new SimulatedFailure(job.n, ctx.clock.now());
        say(`worker did job ${job.n}`);
      },
      postStop() {
        say('worker stopped (postStop)');
      },
    };
  };
}

const times = (n: number): string => (n === 1 ? 'once' : `${n} times`);

/** A supervisor with one worker child that keeps crashing and being restarted. */
export function supervisedWorker(options: SupervisedWorkerOptions, say: Say): Behavior<SupervisorMessage> {
  const { backoff } = options;
  return (ctx) => {
    let jobs = 0;
    let restarts = 0;
    let workerRef: ActorRef<Job> | null = null;
    const supervisorStrategy = Supervision.oneForOne({
      maxRestarts: options.maxRestarts,
      withinMs: options.withinMs,
      backoff,
      decide: (error) => {
        restarts++;
        const what = error instanceof SimulatedFailure ? `on job ${error.job}: ${error.message}` : `: ${String(error)}`;
        say(`worker crashed ${what}; supervisor restarts it after a back-off`);
        return 'restart';
      },
    });
    return {
      supervisorStrategy,
      preStart() {
        workerRef = ctx.spawn(worker(options.crashEvery, () => restarts, say), 'worker');
        ctx.timers.startPeriodic('job', { type: 'NextJob' }, options.jobIntervalMs);
        say(
          `supervisor started: a job every ${options.jobIntervalMs} ms, the worker fails once every ${options.crashEvery} jobs; ` +
            `one-for-one restarts, back-off ${backoff.minMs} ms x${backoff.factor} per recent restart (max ${backoff.maxMs} ms)`,
        );
      },
      receive(m) {
        switch (m.type) {
          case 'NextJob':
            jobs++;
            workerRef?.tell({ type: 'Job', n: jobs });
            return;
          case 'WorkerRestarted':
            say(`supervisor kept going: ${jobs} jobs handed out, worker restarted ${times(restarts)}`);
            return;
        }
      },
      postStop() {
        say(`supervisor stopped (postStop) after ${jobs} jobs; its worker crashed ${times(restarts)}`);
      },
    };
  };
}
