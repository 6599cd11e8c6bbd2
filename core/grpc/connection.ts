import { credentials, makeGenericClientConstructor, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { WallClock, type Clock } from '../../actors/index.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { ApiError, fromServiceError } from './errors.js';
import { serviceDefinition, type ServiceSpec } from './service.js';

export interface CallOptions {
  /** Default 10,000 ms. */
  readonly deadlineMs?: number;
}

/** A running server stream: cancel it, or wait for it to end. */
export interface StreamCall {
  cancel(): void;
  /** Resolves when the server ends the stream; rejects with an ApiError on failure (not on cancel). */
  readonly done: Promise<void>;
}

type RawUnary = (req: Buffer, opts: { deadline: Date }, cb: (err: ServiceError | null, res?: Buffer) => void) => void;
type RawStream = (req: Buffer) => ClientReadableStream<Buffer>;

/** One gRPC channel to one server of a ServiceSpec; msgpack in, msgpack out. */
export class GrpcConnection {
  private readonly client: Client;

  constructor(
    readonly address: string,
    serviceName: string,
    spec: ServiceSpec,
    /** For deadlines; the wall clock unless a test says otherwise. */
    private readonly clock: Clock = new WallClock(),
  ) {
    const Ctor = makeGenericClientConstructor(serviceDefinition(serviceName, spec), serviceName);
    this.client = new Ctor(address, credentials.createInsecure());
  }

  unary<T>(method: string, request: unknown, options: CallOptions = {}): Promise<T> {
    const fn = (this.client as unknown as Record<string, RawUnary>)[method];
    if (typeof fn !== 'function') return Promise.reject(new ApiError('UNIMPLEMENTED', `no method ${method}`));
    const deadline = new Date(this.clock.now() + (options.deadlineMs ?? 10_000));
    return new Promise<T>((resolve, reject) => {
      fn.call(this.client, encodeMessage(request), { deadline }, (err, res) => {
        if (err) return reject(fromServiceError(err));
        try {
          resolve(decodeMessage(res!) as T);
        } catch (e) {
          reject(new ApiError('INTERNAL', `${method}: the response does not decode (${(e as Error).message})`));
        }
      });
    });
  }

  stream<T>(method: string, request: unknown, onMessage: (m: T) => void): StreamCall {
    const fn = (this.client as unknown as Record<string, RawStream>)[method];
    if (typeof fn !== 'function') throw new ApiError('UNIMPLEMENTED', `no method ${method}`);
    const call = fn.call(this.client, encodeMessage(request));
    let cancelled = false;
    const done = new Promise<void>((resolve, reject) => {
      call.on('data', (b: Buffer) => onMessage(decodeMessage(b) as T));
      call.on('end', () => resolve());
      call.on('error', (e: ServiceError) => (cancelled ? resolve() : reject(fromServiceError(e))));
    });
    return {
      cancel: () => {
        cancelled = true;
        call.cancel();
      },
      done,
    };
  }

  close(): void {
    this.client.close();
  }
}
