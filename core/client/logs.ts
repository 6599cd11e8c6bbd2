import { ApiError } from '../grpc/index.js';
import type { LogsMessage, LogsRequest } from '../master/index.js';
import { backoffMs, classifyFailure, type MasterSet, type RetryPolicy } from './masters.js';

/** A running `Logs` stream. */
export interface LogStream {
  /** Stops the stream; `done` then resolves. */
  cancel(): void;
  /**
   * Resolves when the stream has ended with `log-end`, or is cancelled.
   * Rejects with an ApiError when it ends with `log-error` (its code and
   * message, after the message itself went to `onMessage`), when it breaks
   * off before its end, or when no master took it within the retry budget.
   */
  readonly done: Promise<void>;
}

export interface LogsParams {
  readonly request: LogsRequest;
  readonly onMessage: (message: LogsMessage) => void;
  readonly masters: MasterSet;
  readonly retry: RetryPolicy;
}

/**
 * Runs one `Logs` stream. Any master serves it (it reads the pod, then asks
 * the pod's node agent). A stream that fails before its first message is
 * asked again of the next master, as a read is; once lines have come there
 * is no resuming (the lines would repeat), so a break then fails `done`.
 */
export function startLogs(p: LogsParams): LogStream {
  let cancelled = false;
  let stopCurrent: (() => void) | undefined;
  let wake: (() => void) | undefined;

  const run = async (): Promise<void> => {
    let lastError: ApiError | undefined;
    for (let attempt = 0; attempt < p.retry.attemptsMax && !cancelled; attempt++) {
      let received = false;
      let ended: LogsMessage | undefined;
      let callbackError: unknown;
      let failure: ApiError | undefined;
      try {
        const call = p.masters.connection().stream<LogsMessage>('Logs', p.request, (m) => {
          if (cancelled || ended !== undefined || callbackError !== undefined) return;
          received = true;
          if (m.type !== 'log-line') ended = m;
          try {
            p.onMessage(m);
          } catch (e) {
            // The caller's callback failed: end the stream with its error rather than crash inside gRPC.
            callbackError = e;
            call.cancel();
          }
        });
        stopCurrent = () => call.cancel();
        await call.done;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        failure = e;
      }
      stopCurrent = undefined;
      if (callbackError !== undefined) throw callbackError;
      if (cancelled) return;
      if (ended?.type === 'log-end') return;
      if (ended?.type === 'log-error') throw new ApiError(ended.error.code, ended.error.message);
      failure ??= new ApiError('UNAVAILABLE', `Logs: the stream from ${p.masters.current} ended before the log did`);
      if (received || classifyFailure(failure) === 'final') throw failure;
      lastError = failure;
      p.masters.moveOn();
      if (attempt + 1 >= p.retry.attemptsMax) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        void p.masters.sleep(backoffMs(p.retry, attempt)).then(resolve);
      });
      wake = undefined;
    }
    if (!cancelled) throw lastError ?? new ApiError('UNAVAILABLE', 'Logs: no master answered');
  };

  const done = run();
  return {
    cancel: () => {
      cancelled = true;
      stopCurrent?.();
      wake?.();
    },
    done,
  };
}
