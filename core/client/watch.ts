import type { Kind } from '../api/index.js';
import { ApiError } from '../grpc/index.js';
import type { WatchMessage } from '../master/index.js';
import { backoffMs, classifyFailure, dialableHint, type MasterSet, type RetryPolicy } from './masters.js';
import type { WatchEvent, WatchHandle, WatchOptions } from './types.js';

export interface WatchParams {
  readonly kind: Kind;
  readonly options: WatchOptions;
  readonly onEvent: (event: WatchEvent) => void;
  readonly masters: MasterSet;
  readonly retry: RetryPolicy;
  readonly watchIdPrefix: string;
  /** The revision to start after when the caller gave none. */
  readonly startRevision: () => Promise<string>;
}

/**
 * Runs one watch across masters. Each stream asks for changes after the last
 * revision delivered, so a stream that ends, fails or loses its master is
 * picked up elsewhere with no gap; an event at or below that revision (which
 * a correct master never sends) is dropped, so there is no duplicate either.
 * Consecutive failures without an event are bounded by `retry.attemptsMax`.
 */
export function startWatch(p: WatchParams): WatchHandle {
  let lastRevision = 0;
  // The keys delivered at lastRevision: one transaction writes many keys at
  // one revision, and a stream that ends halfway through one is resumed from
  // just before it, dropping what was already delivered.
  let seenAtLast = new Set<string>();
  let cancelled = false;
  let stopCurrent: (() => void) | undefined;
  let wake: (() => void) | undefined;

  const run = async (): Promise<void> => {
    lastRevision = Number(p.options.resourceVersion ?? (await p.startRevision()));
    let failures = 0;
    let streams = 0;
    while (!cancelled) {
      const address = p.masters.current;
      let fatal: ApiError | undefined;
      let progressed = false;
      streams += 1;
      const request = {
        watchId: `${p.watchIdPrefix}-${streams}`,
        kind: p.kind,
        ...(p.options.namespace !== undefined ? { namespace: p.options.namespace } : {}),
        ...(p.options.selector ? { selector: p.options.selector } : {}),
        ...(p.options.fieldSelector ? { fieldSelector: p.options.fieldSelector } : {}),
        // From just before lastRevision when something was delivered at it (see seenAtLast).
        resourceVersion: String(seenAtLast.size > 0 ? lastRevision - 1 : lastRevision),
      };
      let failure: ApiError | undefined;
      let callbackError: unknown;
      try {
        const call = p.masters.connection(address).stream<WatchMessage>('Watch', request, (m) => {
          if (cancelled || fatal || callbackError !== undefined) return;
          if (m.type === 'watch-error') {
            fatal = new ApiError(m.error.code, m.error.message, m.error.details);
            call.cancel();
            return;
          }
          if (m.type !== 'watch-event' || m.revision < lastRevision) return; // watch-started: nothing to deliver
          const key = `${m.object.metadata.namespace ?? ''}/${m.object.metadata.name}`;
          if (m.revision === lastRevision && seenAtLast.has(key)) return;
          if (m.revision > lastRevision) seenAtLast = new Set();
          seenAtLast.add(key);
          lastRevision = m.revision;
          progressed = true;
          try {
            p.onEvent({ type: m.event, kind: p.kind, object: m.object, revision: m.revision });
          } catch (e) {
            // The caller's callback failed: end the watch with its error rather than crash inside gRPC.
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
      if (fatal) {
        // A compacted start cannot be resumed without a gap: the caller must list again.
        if (fatal.code === 'FAILED_PRECONDITION' || classifyFailure(fatal) === 'final') throw fatal;
        failure = fatal;
      }
      if (failure && classifyFailure(failure) === 'final') throw failure;
      if (progressed) failures = 0;
      else failures += 1;
      if (failures >= p.retry.attemptsMax) throw failure ?? new ApiError('UNAVAILABLE', `watch ${p.kind}: streams keep ending without events`);
      const hint = dialableHint(failure?.details.leaderAddress);
      if (hint !== undefined && hint !== address) p.masters.moveTo(hint);
      else if (failure) p.masters.moveOn();
      if (failures > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          void p.masters.sleep(backoffMs(p.retry, failures - 1)).then(resolve);
        });
        wake = undefined;
      }
    }
  };

  const done = run();
  return {
    cancel: () => {
      cancelled = true;
      stopCurrent?.();
      wake?.();
    },
    done,
    get lastRevision() {
      return lastRevision;
    },
  };
}
