import type { RejectedResult } from './commands.js';
import { CompactedRevisionError, FutureRevisionError, MalformedCommandError } from './errors.js';

/** The rejection of a malformed command, as a result value. */
export function malformedRejection(e: MalformedCommandError, revision: number): RejectedResult {
  return { type: 'rejected', code: 'MALFORMED_COMMAND', revision, message: e.message, path: e.path, reason: e.reason };
}

export function compactedRejection(requestedRevision: number, compactRevision: number, revision: number): RejectedResult {
  const { message } = new CompactedRevisionError(requestedRevision, compactRevision);
  return { type: 'rejected', code: 'COMPACTED', revision, message, requestedRevision, compactRevision };
}

export function futureRejection(requestedRevision: number, revision: number): RejectedResult {
  const { message } = new FutureRevisionError(requestedRevision, revision);
  return { type: 'rejected', code: 'FUTURE_REVISION', revision, message, requestedRevision };
}

/** The error a rejected result stands for, for callers that would rather throw. */
export function rejectionError(r: RejectedResult): MalformedCommandError | CompactedRevisionError | FutureRevisionError {
  switch (r.code) {
    case 'MALFORMED_COMMAND':
      return new MalformedCommandError(r.path, r.reason);
    case 'COMPACTED':
      return new CompactedRevisionError(r.requestedRevision, r.compactRevision);
    case 'FUTURE_REVISION':
      return new FutureRevisionError(r.requestedRevision, r.revision);
  }
}
