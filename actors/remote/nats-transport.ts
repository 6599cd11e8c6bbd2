import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { createLogger } from '../log.js';
import type { Transport } from './transport.js';

export interface NatsTransportOptions {
  /** e.g. `nats://127.0.0.1:4222`; several for a NATS cluster. */
  readonly servers: string | readonly string[];
  /** Subject prefix; a system listens on `<prefix>.<systemName>`. Default `drover.actors`. */
  readonly subjectPrefix?: string;
  /** The connection's name as the NATS server shows it. */
  readonly connectionName?: string;
  /** Default 2,000 ms. */
  readonly connectTimeoutMs?: number;
  readonly logger?: Logger;
}

// Room for NATS's own headers inside the server's max_payload.
const FRAME_HEADROOM_BYTES = 1024;

/**
 * The real world's network: one NATS connection per process, one subject per
 * actor system. NATS keeps the order of messages from one connection to one
 * subscriber, which gives the runtime its per-pair ordering.
 */
export class NatsTransport implements Transport {
  readonly maxFrameBytes: number;
  private readonly subs = new Map<string, Subscription>();

  private constructor(
    readonly connection: NatsConnection,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    this.maxFrameBytes = Math.max(4096, (connection.info?.max_payload ?? 1024 * 1024) - FRAME_HEADROOM_BYTES);
  }

  static async connect(options: NatsTransportOptions): Promise<NatsTransport> {
    const nc = await connect({
      servers: typeof options.servers === 'string' ? options.servers : [...options.servers],
      ...(options.connectionName ? { name: options.connectionName } : {}),
      timeout: options.connectTimeoutMs ?? 2_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    return new NatsTransport(nc, options.subjectPrefix ?? 'drover.actors', options.logger ?? createLogger());
  }

  subjectOf(systemName: string): string {
    return `${this.prefix}.${systemName}`;
  }

  async bind(systemName: string, onFrame: (frame: Uint8Array, subject: string) => void): Promise<void> {
    const subject = this.subjectOf(systemName);
    const sub = this.connection.subscribe(subject, {
      callback: (err, msg) => {
        if (err !== null) return;
        // An exception escaping here would end nats.js's reader for good.
        try {
          onFrame(msg.data, msg.subject);
        } catch (e) {
          this.onError(e, msg.subject);
        }
      },
    });
    this.subs.set(systemName, sub);
    // A round trip to the server guarantees the subscription is registered.
    await this.connection.flush();
  }

  async unbind(systemName: string): Promise<void> {
    const sub = this.subs.get(systemName);
    this.subs.delete(systemName);
    sub?.unsubscribe();
    if (!this.connection.isClosed()) await this.connection.flush().catch(() => undefined);
  }

  send(_fromSystem: string, toSystem: string, frame: Uint8Array): void {
    if (this.connection.isClosed() || this.connection.isDraining()) return;
    try {
      this.connection.publish(this.subjectOf(toSystem), frame);
    } catch (e) {
      this.onError(e, this.subjectOf(toSystem));
    }
  }

  /** Errors the transport absorbs and logs: a frame handler that threw, a refused publish. */
  private onError(error: unknown, subject: string): void {
    this.log.warn({ err: error, subject }, 'nats transport error');
  }

  async close(): Promise<void> {
    if (this.connection.isClosed()) return;
    await this.connection.drain().catch(() => this.connection.close());
  }
}
