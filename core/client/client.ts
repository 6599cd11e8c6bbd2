import { WallClock, type Clock } from '../../actors/index.js';
import { isNamespaced, type ApiObject, type Kind, type ObjectOfKind } from '../api/index.js';
import { ApiError } from '../grpc/index.js';
import type { BindResult, ListResult, LogsMessage, LogsRequest, PodBinding } from '../master/index.js';
import { startLogs, type LogStream } from './logs.js';
import { backoffMs, classifyFailure, DEFAULT_RETRY, dialableHint, MasterSet, type MasterConnection, type RetryPolicy } from './masters.js';
import type { ApplyResult, ClusterStatus, DeleteOptions, GetOptions, ListOptions, WatchEvent, WatchHandle, WatchOptions } from './types.js';
import { startWatch } from './watch.js';

export interface DroverClientOptions {
  /** The masters' gRPC addresses, `host:port`. */
  readonly masters: readonly string[];
  /** For back-off and deadlines. Default: the wall clock. */
  readonly clock: Clock;
  readonly retry: Partial<RetryPolicy>;
  /** Opens a connection to one master; default a GrpcConnection. For tests. */
  readonly connect: (address: string) => MasterConnection;
}

/**
 * A typed client of the masters' API. It sends each call to the last master
 * that answered; a master that is not the leader and names it sends the
 * client there. Reads (get, list, cluster status) are retried on any master
 * until the retry budget runs out; writes are retried only when the call
 * certainly did not take effect (a redirect, no connection), and otherwise
 * fail with the ApiError so the caller decides.
 *
 *   const client = new DroverClient({ masters: ['127.0.0.1:7001', '127.0.0.1:7002'] });
 *   const { action } = await client.apply(pod);            // 'created' | 'configured' | 'unchanged'
 *   for await (const page of client.listPages('Pod', { limit: 100 })) ...
 *   const w = client.watch('Pod', {}, (ev) => ...); w.cancel();
 *   const s = client.logs({ namespace: 'default', name: 'web', follow: true }, (m) => ...); s.cancel();
 */
export class DroverClient {
  private readonly masters: MasterSet;
  private readonly retry: RetryPolicy;
  private watchCount = 0;

  constructor(options: Partial<DroverClientOptions> & Pick<DroverClientOptions, 'masters'>) {
    const clock = options.clock ?? new WallClock();
    this.masters = new MasterSet(options.masters, clock, options.connect);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** The master the next call goes to. */
  get currentMaster(): string {
    return this.masters.current;
  }

  create<T extends ApiObject>(object: T): Promise<T> {
    return this.call<T>('Create', { object }, false);
  }

  update<T extends ApiObject>(object: T): Promise<T> {
    return this.call<T>('Update', { object }, false);
  }

  /**
   * Replaces only the object's status (at its resourceVersion when it names
   * one, else at the latest version); the master answers the stored object.
   */
  updateStatus<T extends ApiObject>(object: T): Promise<T> {
    return this.call<T>('UpdateStatus', { object }, false);
  }

  /** Binds pods to nodes, as a scheduler does; one outcome per binding. */
  bind(bindings: readonly PodBinding[]): Promise<BindResult> {
    return this.call<BindResult>('Bind', { bindings }, false);
  }

  get<K extends Kind>(kind: K, name: string, options: GetOptions = {}): Promise<ObjectOfKind<K>> {
    return this.call<ObjectOfKind<K>>('Get', { kind, name, ...nsOf(kind, options.namespace), ...(options.stale ? { stale: true } : {}) }, true);
  }

  /** One page of objects (every object when no `limit` is given). */
  list(kind: Kind, options: ListOptions = {}): Promise<ListResult> {
    const request = {
      kind,
      ...(options.allNamespaces ? {} : nsOf(kind, options.namespace)),
      ...(options.selector ? { selector: options.selector } : {}),
      ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.continue !== undefined ? { continue: options.continue } : {}),
      ...(options.stale ? { stale: true } : {}),
    };
    return this.call<ListResult>('List', request, true);
  }

  /** Every page, in order, following `continue` tokens. */
  async *listPages(kind: Kind, options: ListOptions = {}): AsyncGenerator<ListResult> {
    let token = options.continue;
    for (;;) {
      const page = await this.list(kind, { ...options, ...(token !== undefined ? { continue: token } : {}) });
      yield page;
      if (page.continue === undefined) return;
      token = page.continue;
    }
  }

  delete<K extends Kind>(kind: K, name: string, options: DeleteOptions = {}): Promise<ObjectOfKind<K>> {
    const request = {
      kind,
      name,
      ...nsOf(kind, options.namespace),
      ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
    };
    return this.call<ObjectOfKind<K>>('Delete', request, false);
  }

  /**
   * Creates the object, or updates it to match (at the version the master
   * reads), or leaves it as it is: one `Apply` call, which the master
   * retries itself when another writer comes in between. Idempotent, so it
   * is retried like a read when its outcome is unknown.
   */
  async apply(desired: ApiObject): Promise<ApplyResult> {
    return this.call<ApplyResult>('Apply', { object: desired }, true);
  }

  clusterStatus(): Promise<ClusterStatus> {
    return this.call<ClusterStatus>('ClusterStatus', {}, true);
  }

  /**
   * Streams changes of `kind` to `onEvent`, in revision order, resuming
   * after the last delivered revision whenever the stream ends or its master
   * dies: no gap and no duplicate.
   */
  watch(kind: Kind, options: WatchOptions, onEvent: (event: WatchEvent) => void): WatchHandle {
    this.watchCount += 1;
    return startWatch({
      kind,
      options: { ...options, ...nsOf(kind, options.namespace) },
      onEvent,
      masters: this.masters,
      retry: this.retry,
      watchIdPrefix: `client-watch-${this.watchCount}`,
      startRevision: () =>
        this.list(kind, { ...nsOf(kind, options.namespace), ...(options.selector ? { selector: options.selector } : {}), ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}), limit: 1 }).then(
          (r) => r.resourceVersion,
        ),
    });
  }

  /**
   * Streams a container's log to `onMessage`: `log-line`s, then `log-end`
   * or `log-error`. `done` resolves at the end or on `cancel()`, and rejects
   * with an ApiError when the stream ends in an error (see LogStream).
   */
  logs(request: LogsRequest, onMessage: (message: LogsMessage) => void): LogStream {
    return startLogs({ request, onMessage, masters: this.masters, retry: this.retry });
  }

  close(): void {
    this.masters.close();
  }

  /** One call with leader following and retries (see the class comment). */
  private async call<T>(method: string, request: unknown, idempotent: boolean): Promise<T> {
    let lastError: ApiError | undefined;
    for (let attempt = 0; attempt < this.retry.attemptsMax; attempt++) {
      const address = this.masters.current;
      try {
        return await this.masters.connection(address).unary<T>(method, request, { deadlineMs: this.retry.deadlineMs });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        lastError = e;
        const kind = classifyFailure(e);
        if (kind === 'final') throw e;
        const hint = dialableHint(e.details.leaderAddress);
        if (kind === 'redirect' && hint !== undefined && hint !== address) {
          this.masters.moveTo(hint);
          continue; // The leader was named: go at once.
        }
        this.masters.moveOn();
        if (kind === 'unknown' && !idempotent) throw e;
        await this.masters.sleep(backoffMs(this.retry, attempt));
      }
    }
    throw lastError ?? new ApiError('UNAVAILABLE', `${method}: no master answered`);
  }
}

function nsOf(kind: Kind, namespace: string | undefined): { namespace?: string } {
  return namespace !== undefined && isNamespaced(kind) ? { namespace } : {};
}
