import { ActorSystem, NatsTransport, createLogger, realWorld, type RemotingOptions } from '../../actors/index.js';
import { startNatsServer, type NatsServerHandle } from '../../chaos/launcher/nats-server.js';
import type { Cleanup } from './cleanup.js';

/** A nats-server on a free loopback port, stopped by `cleanup`. */
export async function natsServerFor(cleanup: Cleanup): Promise<NatsServerHandle> {
  const server = await startNatsServer();
  cleanup.add('nats-server', () => server.stop());
  return server;
}

/** Unique per run, so systems of concurrent runs on one server never collide. */
export function uniqueSystemName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * An actor system in this (the test) process with its own NATS connection,
 * logging at DROVER_LOG_LEVEL or `error`. `cleanup` terminates it and closes
 * the connection.
 */
export async function startTestSystem(
  cleanup: Cleanup,
  servers: string,
  name: string,
  remoting: Partial<RemotingOptions> = {},
): Promise<{ system: ActorSystem; transport: NatsTransport }> {
  const transport = await NatsTransport.connect({ servers, connectionName: name });
  cleanup.add(`transport of ${name}`, () => transport.close());
  const logger = createLogger({ level: process.env['DROVER_LOG_LEVEL'] ?? 'error' });
  const system = await ActorSystem.start({ name, world: realWorld({ transport, logger }), remoting });
  cleanup.add(`system ${name}`, () => system.terminate());
  return { system, transport };
}
