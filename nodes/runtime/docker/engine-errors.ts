import { RuntimeError, messageOf, type RuntimeErrorCode, type RuntimeErrorContext, type RuntimeOp } from '../errors.js';

/** The HTTP status of a failed engine request (dockerode sets `statusCode`), if it got that far. */
export function statusOf(e: unknown): number | undefined {
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** True when the engine could not be reached at all (no socket, refused, reset). */
export function isUnreachable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EACCES' || code === 'EPIPE';
}

/** A failed engine request as a RuntimeError: unreachable -> ENGINE_UNAVAILABLE, else `code`. */
export function engineError(e: unknown, op: RuntimeOp, context: RuntimeErrorContext, code: RuntimeErrorCode = 'FAILED'): RuntimeError {
  if (e instanceof RuntimeError) return e;
  if (isUnreachable(e)) return new RuntimeError('ENGINE_UNAVAILABLE', op, `the docker engine does not answer: ${messageOf(e)}`, context, { cause: e });
  return new RuntimeError(code, op, messageOf(e).trim(), context, { cause: e });
}
