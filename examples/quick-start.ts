// The actor API in one file: run it with `npx tsx examples/quick-start.ts`.
// In your own project, import from 'drover/actors' instead of '../actors/index.js'.
import { Actor, ActorSystem, Supervision, realWorld, type ActorContext } from '../actors/index.js';

// Messages are typed unions, discriminated on `type`.
type CounterMsg = { type: 'add'; amount: number } | { type: 'get' };

// Class style: extend Actor and implement receive.
class Counter extends Actor<CounterMsg> {
  private total = 0;

  receive(msg: CounterMsg): void {
    if (msg.type === 'add') this.total += msg.amount;
    else this.context.reply(this.total); // answers whoever asked
  }
}

// Functional style: a setup function returns the receive function; state
// lives in the closure and starts fresh on every restart.
type JobMsg = { type: 'job'; id: number };
const flakyWorker = (ctx: ActorContext<JobMsg>) => {
  ctx.log.debug('worker starting');
  return (msg: JobMsg) => {
    if (msg.id % 3 === 0) throw new Error(`job ${msg.id} failed`); // the supervisor restarts us
    console.log(`worker did job ${msg.id}`);
  };
};

const system = await ActorSystem.start({
  name: 'quickstart',
  world: realWorld(),
  // Top-level actors are restarted after a failure, with exponential back-off.
  guardianStrategy: Supervision.oneForOne({ maxRestarts: 5, withinMs: 10_000, backoff: { minMs: 10, maxMs: 1_000, factor: 2, jitter: 0.1 } }),
});

const counter = system.spawn(Counter, 'counter');
counter.tell({ type: 'add', amount: 40 });
counter.tell({ type: 'add', amount: 2 });
const total = await counter.ask<number>({ type: 'get' }, { timeoutMs: 1_000 });
console.log(`${counter.path} holds ${total}`);

const worker = system.spawn(flakyWorker, 'worker');
for (let id = 1; id <= 5; id++) worker.tell({ type: 'job', id });

// Keyed timers and death watch come from the context.
const watcher = system.spawn((ctx: ActorContext<{ type: 'Terminated' } | { type: 'tick' }>) => {
  ctx.watch(worker);
  ctx.timers.startSingle('stop-worker', { type: 'tick' }, 200);
  return (msg) => {
    if (msg.type === 'tick') system.stop(worker);
    else {
      console.log('watcher saw the worker terminate');
      ctx.stop();
    }
  };
});
void watcher;

await new Promise((resolve) => setTimeout(resolve, 400));
await system.terminate();
console.log('system terminated');
