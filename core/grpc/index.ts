// gRPC at the edge of the masters: msgpack messages, no generated code.

export { GrpcGateway } from './gateway.js';
export type { CallInfo, GatewayOptions, Handlers, StreamHandler, StreamSink, UnaryHandler } from './gateway.js';
export { GrpcConnection } from './connection.js';
export type { CallOptions, StreamCall } from './connection.js';
export { ApiError, fromServiceError, toServiceError } from './errors.js';
export type { ApiErrorCode, ApiErrorDetails } from './errors.js';
export { serviceDefinition } from './service.js';
export type { MethodKind, ServiceSpec } from './service.js';
