// Two actor systems in one process on a virtual clock and a faulty network:
// run it with `npx tsx examples/simulation.ts [seed]`. The same seed always
// prints the same trace hash, so a failure found by one seed replays exactly.
import { simulate, type ActorContext, type Terminated } from '../actors/index.js';

const seed = Number(process.argv[2] ?? 42);

const result = await simulate({ seed, faults: { dropRate: 0.1, duplicateRate: 0.05, minDelayMs: 1, maxDelayMs: 20 } }, async (sim) => {
  const remoting = { heartbeatIntervalMs: 100, unreachableAfterMs: 500 };
  const east = await sim.system('east', { remoting });
  const west = await sim.system('west', { remoting });

  west.spawn((ctx: ActorContext<string>) => (msg) => ctx.reply(`pong to ${msg}`), 'ponger');
  const ponger = east.resolve<string>('drover://west/user/ponger');

  // Ask until one reply gets through the lossy network.
  let reply: unknown;
  for (let attempt = 1; reply === undefined; attempt++) {
    reply = await sim.settle(ponger.ask(`ping ${attempt}`, { timeoutMs: 50 }).catch(() => undefined));
  }
  console.log(`after ${sim.elapsedMs} virtual ms: ${String(reply)}`);

  // Watch the remote actor, then cut west off: the watch fires when the
  // failure detector gives up on west.
  const seen: Terminated[] = [];
  east.spawn((ctx: ActorContext<Terminated>) => {
    ctx.watch(ponger);
    return (t) => void seen.push(t);
  });
  await sim.runFor(1_000);
  sim.network.isolate('west');
  await sim.runUntil(() => seen.length > 0, 10_000);
  console.log(`after ${sim.elapsedMs} virtual ms: ${seen[0]?.ref.path} terminated (address terminated: ${seen[0]?.addressTerminated})`);
});

console.log(`seed ${result.seed}: ${result.events} events, trace ${result.traceHash.slice(0, 16)}`);
