import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

/** How a method answers: once, or with a stream of messages. */
export type MethodKind = 'unary' | 'server-stream';

/** A service as data: method names (PascalCase, as on the wire) and their kinds. */
export type ServiceSpec = Readonly<Record<string, MethodKind>>;

const raw = (b: Buffer): Buffer => b;

/**
 * A gRPC service definition whose messages stay raw bytes at the gRPC layer:
 * the handlers decode them, so a garbage request gets INVALID_ARGUMENT that
 * names the method instead of a bare INTERNAL from the library.
 */
export function serviceDefinition(serviceName: string, spec: ServiceSpec): ServiceDefinition {
  const def: Record<string, MethodDefinition<Buffer, Buffer>> = {};
  for (const [method, kind] of Object.entries(spec)) {
    def[method] = {
      path: `/${serviceName}/${method}`,
      requestStream: false,
      responseStream: kind === 'server-stream',
      requestSerialize: raw,
      requestDeserialize: raw,
      responseSerialize: raw,
      responseDeserialize: raw,
      originalName: method,
    };
  }
  return def as ServiceDefinition;
}
