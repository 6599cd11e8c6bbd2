// The public actor API: `import { ActorSystem, realWorld } from 'drover/actors'`.

export { ActorSystem, isLocalRef } from './system.js';
export type { ActorSystemOptions, SystemStats } from './system.js';
export { Actor } from './behavior.js';
export type { ActorClass, Behavior, Handlers, LifecycleHooks, Receive, SetupFn, SpawnOptions } from './behavior.js';
export type { ActorContext, Timers } from './context.js';
export { isTerminated } from './ref.js';
export type { ActorRef, AskOptions, Terminated } from './ref.js';
export { Supervision, DEFAULT_BACKOFF } from './supervision.js';
export type { Backoff, Directive, SupervisorStrategy } from './supervision.js';
export type { MailboxOptions, OverflowPolicy } from './mailbox.js';
export { DEFAULT_DISPATCHER } from './dispatcher.js';
export type { DispatcherOptions } from './dispatcher.js';
export { DEFAULT_REMOTING } from './remote/remoting.js';
export type { RemotingOptions } from './remote/remoting.js';
export {
  ActorError,
  ActorNameTakenError,
  AskTimeoutError,
  FrameError,
  InvalidActorPathError,
  MailboxFullError,
  MessageEncodeError,
  SystemTerminatedError,
  messageTypeOf,
} from './errors.js';
export { PATH_SCHEME, parseActorPath } from './path.js';
export { NatsTransport } from './remote/nats-transport.js';
export type { NatsTransportOptions } from './remote/nats-transport.js';
export type { Transport } from './remote/transport.js';
export { realWorld } from './world/real-world.js';
export type { RealWorldOptions } from './world/real-world.js';
export type { World } from './world/world.js';
export type { Clock, TimerHandle } from './world/clock.js';
export { WallClock } from './world/wall-clock.js';
export type { Random } from './world/random.js';
export { SeededRandom } from './world/random.js';
export { Simulation, simulate } from './sim/simulation.js';
export type { SimulationOptions, SimulationResult } from './sim/simulation.js';
export { NO_FAULTS } from './sim/sim-network.js';
export type { NetworkFaults, NetworkStats } from './sim/sim-network.js';
export { createLogger } from './log.js';
export type { LoggerOptions } from './log.js';
export { RecentSet, isAskReplyPath } from './recent-set.js';
