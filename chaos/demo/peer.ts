import { ActorSystem, NatsTransport, PATH_SCHEME, createLogger, realWorld } from '../../actors/index.js';
import { pinger, ponger, type Ping } from './ping-pong.js';
import type { Say } from './say.js';
import { DEMO_SUPERVISION, supervisedWorker } from './supervised-worker.js';

// One peer of the demo: one actor system in this OS process, over NATS.
//   beta  hosts /user/ponger and /user/supervisor (with its crashing worker);
//   alpha hosts /user/pinger, which pings and watches beta's ponger.
// The launcher (start-demo.ts) runs each peer as a child with an IPC channel:
// the peer sends `ready` on it, and stops gracefully on SIGTERM, SIGINT or
// SIGHUP, or when the channel closes because the launcher died.

export const PEER_ROLES = ['alpha', 'beta'] as const;
export type PeerRole = (typeof PEER_ROLES)[number];

export function isPeerRole(s: string): s is PeerRole {
  return (PEER_ROLES as readonly string[]).includes(s);
}

/** What a peer tells its launcher over the IPC channel. */
export type PeerEvent = { readonly type: 'ready'; readonly system: string; readonly pid: number };

export interface DemoPeerOptions {
  readonly role: PeerRole;
  readonly natsUrl: string;
}

const PING_INTERVAL_MS = 500;
const PONG_TIMEOUT_MS = 2_000;
/** A shutdown that hangs must not keep the peer alive. */
const SHUTDOWN_LIMIT_MS = 5_000;
const PONGER_PATH = `${PATH_SCHEME}beta/user/ponger`;

function spawnActors(role: PeerRole, system: ActorSystem, say: Say): void {
  switch (role) {
    case 'beta':
      system.spawn(ponger(say), 'ponger');
      system.spawn(supervisedWorker(DEMO_SUPERVISION, say), 'supervisor');
      return;
    case 'alpha': {
      const target = system.resolve<Ping>(PONGER_PATH);
      system.spawn(pinger({ target, intervalMs: PING_INTERVAL_MS, pongTimeoutMs: PONG_TIMEOUT_MS }, say), 'pinger');
      return;
    }
  }
}

/** Resolves with what asked this process to stop. */
function stopRequested(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => resolve(signal));
    // Only a child with an IPC channel gets 'disconnect': its launcher is gone.
    process.once('disconnect', () => resolve('launcher gone'));
  });
}

/**
 * Runs one peer until it is asked to stop, then terminates its actor system
 * and closes its NATS connection. Resolves with the process's exit code.
 */
export async function runDemoPeer(options: DemoPeerOptions): Promise<number> {
  const { role, natsUrl } = options;
  const say: Say = (line) => void process.stdout.write(`${line}\n`);
  const stop = stopRequested();
  const logger = createLogger({ level: process.env['DROVER_LOG_LEVEL'] ?? 'warn' });

  let transport: NatsTransport | null = null;
  let system: ActorSystem | null = null;
  let exitCode = 0;
  try {
    transport = await NatsTransport.connect({ servers: natsUrl, connectionName: `drover-demo-${role}`, logger });
    system = await ActorSystem.start({ name: role, world: realWorld({ transport, logger }) });
    say(`actor system ${role} up (pid ${process.pid}), connected to ${natsUrl}`);
    spawnActors(role, system, say);
    process.send?.({ type: 'ready', system: role, pid: process.pid } satisfies PeerEvent);
    say(`${await stop}: terminating actor system ${role}`);
  } catch (e) {
    say(`failed: ${e instanceof Error ? e.message : String(e)}`);
    exitCode = 1;
  }

  setTimeout(() => {
    say(`shutdown still not done after ${SHUTDOWN_LIMIT_MS} ms; exiting anyway`);
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS).unref();
  await system?.terminate();
  await transport?.close();
  if (system !== null) say(`actor system ${role} terminated, NATS connection closed`);
  return exitCode;
}
