// An in-memory stand-in for DroverClient, for the workload commands' tests:
// one store with revisions, optimistic updates (a stale resourceVersion is
// ABORTED), label and field selectors on list and watch, watches that
// deliver every change after their revision, and a scripted Logs stream.
// Plus a manual clock, so timeouts are tested without waiting.
import type { Clock, TimerHandle } from '../../../actors/index.js';
import { fieldsMatch, isNamespaced, matches, parseFieldSelector, parseSelector, type ApiObject, type Kind, type ObjectOfKind } from '../../../core/api/index.js';
import type { LogsMessage, LogsRequest, LogsSource, LogStream, WorkloadClient } from '../../../bin/commands/index.js';
import { ApiError, type DeleteOptions, type GetOptions, type ListOptions, type ListResult, type WatchEvent, type WatchHandle, type WatchOptions } from '../../../core/client/index.js';

interface Watcher {
  readonly kind: Kind;
  readonly options: WatchOptions;
  readonly onEvent: (e: WatchEvent) => void;
  fail(e: Error): void;
}

export class FakeClient implements WorkloadClient, LogsSource {
  revision = 100;
  readonly objects = new Map<string, ApiObject>();
  readonly history: WatchEvent[] = [];
  readonly calls: string[] = [];
  readonly deletes: { kind: Kind; name: string; options: DeleteOptions }[] = [];
  readonly logRequests: LogsRequest[] = [];
  private readonly watchers = new Set<Watcher>();
  /** Runs before each update is checked (a concurrent writer). */
  beforeUpdate: ((o: ApiObject) => void) | undefined;
  /** Runs after each stored change (a controller that reacts). */
  afterChange: ((e: WatchEvent) => void) | undefined;
  /** Pods deleted with a grace period are only marked; the test removes them (the node agent's part). */
  gracefulPods = false;
  /** What `logs` streams; `undefined`: this client has no Logs. */
  logScript: ((request: LogsRequest, send: (m: LogsMessage) => void) => LogStream) | undefined;
  closed = false;

  private key(kind: Kind, namespace: string | undefined, name: string): string {
    return `${kind}/${isNamespaced(kind) ? (namespace ?? 'default') : ''}/${name}`;
  }

  private record(type: WatchEvent['type'], object: ApiObject): void {
    const e: WatchEvent = { type, kind: object.kind, object, revision: this.revision };
    this.history.push(e);
    for (const w of [...this.watchers]) if (this.selects(w.kind, w.options, object)) w.onEvent(e);
    this.afterChange?.(e);
  }

  private selects(kind: Kind, o: { namespace?: string; selector?: string; fieldSelector?: string }, object: ApiObject): boolean {
    if (object.kind !== kind) return false;
    if (o.namespace !== undefined && isNamespaced(kind) && object.metadata.namespace !== o.namespace) return false;
    if (o.selector) {
      const s = parseSelector(o.selector);
      if (!s.ok) throw new ApiError('INVALID_ARGUMENT', s.error.message);
      if (!matches(s.value, object.metadata.labels ?? {})) return false;
    }
    if (o.fieldSelector) {
      const f = parseFieldSelector(kind, o.fieldSelector);
      if (!f.ok) throw new ApiError('INVALID_ARGUMENT', f.error.message);
      if (!fieldsMatch(f.value, object)) return false;
    }
    return true;
  }

  /** Stores `o` as a controller or another user would: no version check; a uid and version are given. */
  put<T extends ApiObject>(o: T): T {
    this.revision += 1;
    const k = this.key(o.kind, o.metadata.namespace, o.metadata.name);
    const existed = this.objects.get(k);
    const ns = isNamespaced(o.kind) ? { namespace: o.metadata.namespace ?? 'default' } : {};
    const stored = {
      ...o,
      metadata: { creationTimestamp: '2026-01-01T00:00:00Z', generation: 1, ...o.metadata, ...ns, uid: o.metadata.uid ?? existed?.metadata.uid ?? `uid-${o.metadata.name}`, resourceVersion: String(this.revision) },
    } as T;
    this.objects.set(k, stored);
    this.record(existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  /** Removes an object as the node agent finally does for a pod. */
  remove(kind: Kind, name: string, namespace?: string): void {
    const k = this.key(kind, namespace, name);
    const o = this.objects.get(k);
    if (!o) return;
    this.objects.delete(k);
    this.revision += 1;
    this.record('DELETED', o);
  }

  stored<K extends Kind>(kind: K, name: string, namespace?: string): ObjectOfKind<K> | undefined {
    return this.objects.get(this.key(kind, namespace, name)) as ObjectOfKind<K> | undefined;
  }

  get<K extends Kind>(kind: K, name: string, options: GetOptions = {}): Promise<ObjectOfKind<K>> {
    this.calls.push(`get ${kind} ${name}`);
    const o = this.stored(kind, name, options.namespace);
    return o ? Promise.resolve(structuredClone(o)) : Promise.reject(new ApiError('NOT_FOUND', `${kind} ${name} not found`));
  }

  list(kind: Kind, options: ListOptions = {}): Promise<ListResult> {
    this.calls.push(`list ${kind}${options.fieldSelector ? ` ${options.fieldSelector}` : ''}${options.selector ? ` -l ${options.selector}` : ''}`);
    try {
      const sel = { ...(options.allNamespaces || options.namespace === undefined ? {} : { namespace: options.namespace }), ...(options.selector ? { selector: options.selector } : {}), ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}) };
      const items = [...this.objects.values()].filter((o) => this.selects(kind, sel, o)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      return Promise.resolve({ items: structuredClone(items), resourceVersion: String(this.revision) });
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  update<T extends ApiObject>(object: T): Promise<T> {
    this.calls.push(`update ${object.kind} ${object.metadata.name}`);
    this.beforeUpdate?.(object);
    const cur = this.stored(object.kind, object.metadata.name, object.metadata.namespace);
    if (!cur) return Promise.reject(new ApiError('NOT_FOUND', `${object.kind} ${object.metadata.name} not found`));
    if (object.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      return Promise.reject(new ApiError('ABORTED', `${object.kind} ${object.metadata.name} was modified: expected resourceVersion ${object.metadata.resourceVersion}, found ${cur.metadata.resourceVersion}`));
    }
    const specChanged = JSON.stringify((cur as { spec?: unknown }).spec) !== JSON.stringify((object as { spec?: unknown }).spec);
    const generation = (cur.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    return Promise.resolve(structuredClone(this.put({ ...object, metadata: { ...object.metadata, generation } })));
  }

  delete<K extends Kind>(kind: K, name: string, options: DeleteOptions = {}): Promise<ObjectOfKind<K>> {
    this.calls.push(`delete ${kind} ${name}`);
    this.deletes.push({ kind, name, options });
    const o = this.stored(kind, name, options.namespace);
    if (!o || (options.uid !== undefined && o.metadata.uid !== options.uid)) return Promise.reject(new ApiError('NOT_FOUND', `${kind} ${name} not found`));
    if (kind === 'Pod' && this.gracefulPods && options.gracePeriodSeconds !== 0) {
      return Promise.resolve(this.put({ ...o, metadata: { ...o.metadata, deletionTimestamp: '2026-01-01T00:04:00Z', deletionGracePeriodSeconds: options.gracePeriodSeconds ?? 30 } }));
    }
    this.remove(kind, name, options.namespace);
    return Promise.resolve(o);
  }

  watch(kind: Kind, options: WatchOptions, onEvent: (event: WatchEvent) => void): WatchHandle {
    this.calls.push(`watch ${kind}${options.fieldSelector ? ` ${options.fieldSelector}` : ''}${options.selector ? ` -l ${options.selector}` : ''}`);
    let resolveDone!: () => void;
    let rejectDone!: (e: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    const from = Number(options.resourceVersion ?? this.revision);
    let last = from;
    const watcher: Watcher = {
      kind,
      options,
      onEvent: (e) => {
        last = e.revision;
        onEvent(e);
      },
      fail: (e) => {
        this.watchers.delete(watcher);
        rejectDone(e);
      },
    };
    // Replay what happened after `from`, then go live.
    for (const e of this.history) if (e.revision > from && this.selects(kind, options, e.object)) watcher.onEvent(e);
    this.watchers.add(watcher);
    return {
      cancel: () => {
        this.watchers.delete(watcher);
        resolveDone();
      },
      done,
      get lastRevision() {
        return last;
      },
    };
  }

  /** Ends every open watch of `kind` with `error` (a compacted revision, a lost master). */
  failWatches(kind: Kind, error: Error): void {
    for (const w of [...this.watchers]) if (w.kind === kind) w.fail(error);
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  logs(request: LogsRequest, onMessage: (message: LogsMessage) => void): LogStream {
    this.logRequests.push(request);
    if (!this.logScript) throw new Error('FakeClient: no logScript');
    return this.logScript(request, onMessage);
  }

  close(): void {
    this.closed = true;
  }
}

/** A clock that moves only when the test says. */
export class ManualClock implements Clock {
  private timers: { dueMs: number; fn: () => void; handle: TimerHandle }[] = [];
  constructor(private nowMs = Date.parse('2026-01-01T00:05:00Z')) {}

  now(): number {
    return this.nowMs;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const handle = { __timer: true } as TimerHandle;
    this.timers.push({ dueMs: this.nowMs + Math.max(0, delayMs), fn, handle });
    return handle;
  }

  cancelTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time on by `ms`, firing the timers that come due, in order. */
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.dueMs - b.dueMs)[0];
      if (!next || next.dueMs > until) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.nowMs = next.dueMs;
      next.fn();
    }
    this.nowMs = until;
  }
}
