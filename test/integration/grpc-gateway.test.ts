import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, GrpcConnection, GrpcGateway, type StreamSink } from '../../core/grpc/index.js';

const SPEC = { Echo: 'unary', Fail: 'unary', Count: 'server-stream' } as const;
const SERVICE = 'drover.test.Toy';

describe('the gRPC gateway (msgpack over gRPC on loopback)', () => {
  let gateway: GrpcGateway;
  let conn: GrpcConnection;
  const cancelled: string[] = [];

  beforeAll(async () => {
    gateway = await GrpcGateway.start({
      serviceName: SERVICE,
      spec: SPEC,
      handlers: {
        Echo: async (req) => ({ echoed: req }),
        Fail: async (req) => {
          const { code } = req as { code: string };
          if (code === 'boom') throw new Error('an internal bug');
          throw new ApiError('INVALID_ARGUMENT', 'spec.replicas: must be >= 0', { field: 'spec.replicas', rule: 'must be >= 0' });
        },
        Count: async (req, sink: StreamSink) => {
          const { upTo, forever } = req as { upTo: number; forever?: boolean };
          for (let i = 1; i <= upTo; i++) sink.write({ n: i });
          if (!forever) return sink.end();
          await sink.closed;
          cancelled.push('count');
        },
      },
    });
    conn = new GrpcConnection(gateway.address, SERVICE, SPEC);
  });

  afterAll(async () => {
    conn?.close();
    await gateway?.stop();
  });

  it('listens on 127.0.0.1 on a port the OS chose', () => {
    expect(gateway.host).toBe('127.0.0.1');
    expect(gateway.port).toBeGreaterThan(0);
  });

  it('round-trips plain objects, binary included', async () => {
    const req = { kind: 'Pod', data: new Uint8Array([1, 2, 3]), n: 42, nested: { list: ['a', 'b'] } };
    const res = await conn.unary<{ echoed: typeof req }>('Echo', req);
    expect(res.echoed.kind).toBe('Pod');
    expect([...res.echoed.data]).toEqual([1, 2, 3]);
    expect(res.echoed.nested).toEqual({ list: ['a', 'b'] });
  });

  it('maps ApiErrors to gRPC codes with their details, and bugs to INTERNAL', async () => {
    const err = await conn.unary('Fail', { code: 'invalid' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'spec.replicas: must be >= 0', details: { field: 'spec.replicas' } });
    const bug = await conn.unary('Fail', { code: 'boom' }).catch((e: unknown) => e);
    expect(bug).toMatchObject({ code: 'INTERNAL', message: 'an internal bug' });
  });

  it('streams messages until the server ends the stream', async () => {
    const got: number[] = [];
    const call = conn.stream<{ n: number }>('Count', { upTo: 5 }, (m) => got.push(m.n));
    await call.done;
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets the client cancel a stream, and the server sees it', async () => {
    const got: number[] = [];
    let first!: () => void;
    const firstSeen = new Promise<void>((r) => (first = r));
    const call = conn.stream<{ n: number }>('Count', { upTo: 2, forever: true }, (m) => {
      got.push(m.n);
      if (got.length === 2) first();
    });
    await firstSeen;
    call.cancel();
    await call.done;
    await new Promise((r) => setTimeout(r, 100));
    expect(cancelled).toContain('count');
  });

  it('answers a request that is not msgpack with INVALID_ARGUMENT naming the method', async () => {
    // Send raw garbage through the generic client: bytes that do not decode.
    const raw = new GrpcConnection(gateway.address, SERVICE, SPEC);
    const fn = (raw as unknown as { client: Record<string, (b: Buffer, o: object, cb: (e: { code: number; details: string } | null) => void) => void> }).client['Echo']!;
    const err = await new Promise<{ code: number; details: string } | null>((resolve) =>
      fn.call((raw as unknown as { client: object }).client, Buffer.from([0xc1, 0xc1, 0xc1]), {}, (e) => resolve(e)),
    );
    raw.close();
    expect(err?.code).toBe(3); // INVALID_ARGUMENT
    expect(err?.details).toMatch(/^Echo: the request does not decode/);
  });
});
