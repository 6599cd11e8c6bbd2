import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { WallClock, type Clock } from '../../actors/index.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { ApiError, toServiceError } from './errors.js';
import { serviceDefinition, type ServiceSpec } from './service.js';

/** What a handler knows of its call. */
export interface CallInfo {
  readonly method: string;
  /** The caller's address, e.g. `ipv4:127.0.0.1:53122`. */
  readonly peer: string;
}

export type UnaryHandler = (request: unknown, call: CallInfo) => Promise<unknown>;

/** Where a streaming handler writes; `closed` resolves when the caller goes away. */
export interface StreamSink {
  write(message: unknown): void;
  end(): void;
  fail(error: unknown): void;
  readonly closed: Promise<void>;
}

export type StreamHandler = (request: unknown, sink: StreamSink, call: CallInfo) => void | Promise<void>;

export type Handlers<S extends ServiceSpec> = {
  readonly [M in keyof S]: S[M] extends 'unary' ? UnaryHandler : StreamHandler;
};

export interface GatewayOptions<S extends ServiceSpec> {
  readonly serviceName: string;
  readonly spec: S;
  readonly handlers: Handlers<S>;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port chosen by the OS. */
  readonly port?: number;
  /** For the shutdown grace period; the wall clock unless a test says otherwise. */
  readonly clock?: Clock;
}

function decodeRequest(method: string, bytes: Buffer): unknown {
  try {
    return decodeMessage(bytes);
  } catch (e) {
    throw new ApiError('INVALID_ARGUMENT', `${method}: the request does not decode as msgpack (${(e as Error).message})`);
  }
}

/**
 * A gRPC server that hands each call to a handler: the edge adapter in front
 * of the API actor. It holds no logic beyond decoding, encoding and mapping
 * errors to gRPC codes.
 */
export class GrpcGateway {
  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly clock: Clock,
  ) {}

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  static async start<S extends ServiceSpec>(options: GatewayOptions<S>): Promise<GrpcGateway> {
    const server = new Server();
    const impl: UntypedServiceImplementation = {};
    for (const [method, kind] of Object.entries(options.spec)) {
      const handler = options.handlers[method as keyof S] as UnaryHandler | StreamHandler;
      impl[method] = kind === 'unary' ? unary(method, handler as UnaryHandler) : stream(method, handler as StreamHandler);
    }
    server.addService(serviceDefinition(options.serviceName, options.spec), impl);
    const host = options.host ?? '127.0.0.1';
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return new GrpcGateway(server, host, port, options.clock ?? new WallClock());
  }

  /** Stops accepting calls; ends calls in flight after `graceMs`. */
  async stop(graceMs = 2_000): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimer(graceMs, () => {
        this.server.forceShutdown();
        resolve();
      });
      this.server.tryShutdown(() => {
        this.clock.cancelTimer(timer);
        resolve();
      });
    });
  }
}

function unary(method: string, handler: UnaryHandler) {
  return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    const info: CallInfo = { method, peer: call.getPeer() };
    Promise.resolve()
      .then(() => handler(decodeRequest(method, call.request), info))
      .then(
        (res) => callback(null, encodeMessage(res)),
        (err: unknown) => callback(toServiceError(err)),
      );
  };
}

function stream(method: string, handler: StreamHandler) {
  return (call: ServerWritableStream<Buffer, Buffer>): void => {
    let done = false;
    const closed = new Promise<void>((resolve) => {
      call.on('cancelled', resolve);
      call.on('close', resolve);
      call.on('error', () => resolve());
    });
    void closed.then(() => (done = true));
    const sink: StreamSink = {
      write: (m) => {
        if (!done) call.write(encodeMessage(m));
      },
      end: () => {
        if (done) return;
        done = true;
        call.end();
      },
      fail: (e) => {
        if (done) return;
        done = true;
        call.emit('error', toServiceError(e));
      },
      closed,
    };
    const info: CallInfo = { method, peer: call.getPeer() };
    Promise.resolve()
      .then(() => handler(decodeRequest(method, call.request), sink, info))
      .catch((e: unknown) => sink.fail(e));
  };
}
