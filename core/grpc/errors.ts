import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { decodeMessage, encodeMessage } from './codec.js';

/** The API's error codes: gRPC's, by name. */
export type ApiErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'ABORTED'
  | 'FAILED_PRECONDITION'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'CANCELLED'
  | 'UNIMPLEMENTED'
  | 'INTERNAL';

/** Machine-readable context carried with an error (all optional). */
export interface ApiErrorDetails {
  /** e.g. `spec.replicas` */
  readonly field?: string;
  readonly rule?: string;
  readonly violations?: readonly { readonly path: string; readonly rule: string }[];
  /** UNAVAILABLE from a master that is not the leader: where the leader is. */
  readonly leader?: string;
  readonly leaderAddress?: string;
  readonly objectKey?: string;
  readonly expectedRevision?: string;
  readonly actualRevision?: string;
}

/** An error the API returns on purpose, with a gRPC code and details. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ApiErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const DETAILS_KEY = 'drover-error-bin';

/** What the gRPC server sends for an error: ApiErrors keep their code; anything else is INTERNAL. */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const e = err instanceof ApiError ? err : new ApiError('INTERNAL', err instanceof Error ? err.message : String(err));
  const metadata = new Metadata();
  metadata.set(DETAILS_KEY, encodeMessage(e.details));
  return { code: status[e.code], details: e.message, metadata };
}

/** The client's side: a gRPC error back into an ApiError with its details. */
export function fromServiceError(err: ServiceError): ApiError {
  const name = (Object.keys(status) as (keyof typeof status)[]).find((k) => status[k] === err.code);
  const code = (name && name !== 'OK' && name !== 'UNKNOWN' && name !== 'RESOURCE_EXHAUSTED' && name !== 'OUT_OF_RANGE' && name !== 'PERMISSION_DENIED' && name !== 'UNAUTHENTICATED' && name !== 'DATA_LOSS' ? name : 'INTERNAL') as ApiErrorCode;
  let details: ApiErrorDetails = {};
  const raw = err.metadata?.get(DETAILS_KEY)[0];
  if (Buffer.isBuffer(raw)) {
    try {
      details = decodeMessage(raw) as ApiErrorDetails;
    } catch {
      details = {};
    }
  }
  return new ApiError(code, err.details || err.message, details, { cause: err });
}
