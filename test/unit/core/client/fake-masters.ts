// Fake masters for client and CLI tests: real gRPC gateways on 127.0.0.1
// sharing one in-memory "replicated" store. Each gateway can act as the
// leader, as a follower that answers UNAVAILABLE with the leader's address,
// or fail calls in ways a test chooses.
import { ApiError, GrpcGateway, type StreamSink } from '../../../../core/grpc/index.js';
import { API_SERVICE_NAME, API_SERVICE_SPEC, applyObject, type WatchMessage } from '../../../../core/master/index.js';
import type { ApiObject, Kind } from '../../../../core/api/index.js';
import type { ClusterStatus } from '../../../../core/client/index.js';

type Obj = Record<string, unknown> & { kind: Kind; metadata: Record<string, unknown> & { name: string; namespace?: string } };

export interface StoredEvent {
  readonly event: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: ApiObject;
  readonly revision: number;
}

export class FakeStore {
  revision = 10;
  readonly objects = new Map<string, Obj>();
  readonly events: StoredEvent[] = [];
  private readonly listeners = new Set<(e: StoredEvent) => void>();
  /** Runs before each update is checked: a test's concurrent writer. */
  beforeUpdate: (() => void) | undefined;
  /** Fails each create with this, if set (a server-side validation error). */
  rejectCreate: ApiError | undefined;

  key(kind: string, ns: string | undefined, name: string): string {
    return `${kind}/${ns ?? ''}/${name}`;
  }

  private emit(event: StoredEvent['event'], o: Obj): void {
    const e = { event, object: o as unknown as ApiObject, revision: this.revision };
    this.events.push(e);
    for (const l of this.listeners) l(e);
  }

  subscribe(l: (e: StoredEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  create(o: Obj): Obj {
    if (this.rejectCreate) throw this.rejectCreate;
    const ns = o.kind === 'Namespace' || o.kind === 'Node' ? undefined : (o.metadata.namespace ?? 'default');
    const k = this.key(o.kind, ns, o.metadata.name);
    if (this.objects.has(k)) throw new ApiError('ALREADY_EXISTS', `${o.kind} ${o.metadata.name} already exists`, { objectKey: k });
    this.revision += 1;
    const stored: Obj = {
      ...o,
      metadata: { ...o.metadata, ...(ns ? { namespace: ns } : {}), uid: `uid-${this.revision}`, resourceVersion: String(this.revision), creationTimestamp: '2026-01-01T00:00:00Z' },
    };
    this.objects.set(k, stored);
    this.emit('ADDED', stored);
    return stored;
  }

  update(o: Obj): Obj {
    this.beforeUpdate?.();
    const ns = o.kind === 'Namespace' || o.kind === 'Node' ? undefined : (o.metadata.namespace ?? 'default');
    const k = this.key(o.kind, ns, o.metadata.name);
    const cur = this.objects.get(k);
    if (!cur) throw new ApiError('NOT_FOUND', `${o.kind} ${o.metadata.name} not found`);
    if (o.metadata.resourceVersion !== cur.metadata.resourceVersion) {
      throw new ApiError('ABORTED', 'conflict', { expectedRevision: String(o.metadata.resourceVersion), actualRevision: String(cur.metadata.resourceVersion) });
    }
    this.revision += 1;
    const stored: Obj = { ...o, metadata: { ...cur.metadata, ...o.metadata, resourceVersion: String(this.revision) } };
    this.objects.set(k, stored);
    this.emit('MODIFIED', stored);
    return stored;
  }

  get(kind: string, ns: string | undefined, name: string): Obj {
    const o = this.objects.get(this.key(kind, kind === 'Namespace' || kind === 'Node' ? undefined : (ns ?? 'default'), name));
    if (!o) throw new ApiError('NOT_FOUND', `${kind} ${name} not found`);
    return o;
  }

  delete(kind: string, ns: string | undefined, name: string): Obj {
    const o = this.get(kind, ns, name);
    this.objects.delete(this.key(kind, kind === 'Namespace' || kind === 'Node' ? undefined : (ns ?? 'default'), name));
    this.revision += 1;
    this.emit('DELETED', o);
    return o;
  }
}

export type Behaviour =
  /** Serve from the store. */
  | 'leader'
  /** Answer everything with UNAVAILABLE naming the leader. */
  | 'follower'
  /** Take the call and never answer (the client's deadline ends it). */
  | 'hang';

export interface FakeMaster {
  readonly gateway: GrpcGateway;
  readonly address: string;
  behaviour: Behaviour;
  /** Calls received, by method. */
  readonly calls: string[];
  /** Open watch streams; `endStreams()` ends them as a dying master would. */
  endStreams(): void;
  /** Ends each watch stream after this many events (undefined: never). */
  eventsPerStream: number | undefined;
  /** A watch from below this revision gets a watch-error (compacted). */
  compactedBelow: number;
  /** Serves a Logs call (after the behaviour's guard); default: UNIMPLEMENTED. */
  logs: ((request: Record<string, unknown>, sink: StreamSink) => void | Promise<void>) | undefined;
}

export interface FakeCluster {
  readonly store: FakeStore;
  readonly masters: FakeMaster[];
  leaderAddress: string;
  stop(): Promise<void>;
}

export async function startFakeCluster(count: number): Promise<FakeCluster> {
  const store = new FakeStore();
  const cluster: FakeCluster = {
    store,
    masters: [],
    leaderAddress: '',
    stop: async () => {
      for (const m of cluster.masters) m.endStreams();
      await Promise.all(cluster.masters.map((m) => m.gateway.stop(100)));
    },
  };
  for (let i = 0; i < count; i++) cluster.masters.push(await startFakeMaster(cluster));
  cluster.leaderAddress = cluster.masters[0]!.address;
  return cluster;
}

async function startFakeMaster(cluster: FakeCluster): Promise<FakeMaster> {
  const store = cluster.store;
  const sinks = new Set<StreamSink>();
  // Filled in once the gateway has started.
  const self = {
    behaviour: 'leader' as Behaviour,
    calls: [] as string[],
    eventsPerStream: undefined as number | undefined,
    compactedBelow: 0,
    logs: undefined as FakeMaster['logs'],
  };
  const guard = async (method: string): Promise<void> => {
    self.calls.push(method);
    if (self.behaviour === 'follower') throw new ApiError('UNAVAILABLE', 'not the leader', { leader: 'm', leaderAddress: cluster.leaderAddress });
    if (self.behaviour === 'hang') await new Promise<void>(() => undefined);
  };
  type Req = Record<string, unknown> & { kind: Kind; name: string; namespace?: string };
  const gateway = await GrpcGateway.start({
    serviceName: API_SERVICE_NAME,
    spec: API_SERVICE_SPEC,
    handlers: {
      Create: async (r) => (await guard('Create'), store.create((r as { object: Obj }).object)),
      Update: async (r) => (await guard('Update'), store.update((r as { object: Obj }).object)),
      UpdateStatus: () => Promise.reject(new ApiError('UNIMPLEMENTED', 'the fake masters have no UpdateStatus')),
      Bind: () => Promise.reject(new ApiError('UNIMPLEMENTED', 'the fake masters have no Bind')),
      // The masters' own apply algorithm over this in-memory store.
      Apply: async (r) => {
        await guard('Apply');
        const desired = (r as { object: Obj }).object;
        return applyObject(desired as unknown as ApiObject, {
          current: async () => {
            try {
              return store.get(desired.kind, desired.metadata.namespace, desired.metadata.name) as unknown as ApiObject;
            } catch (e) {
              if (e instanceof ApiError && e.code === 'NOT_FOUND') return undefined;
              throw e;
            }
          },
          create: async (o) => store.create(o as unknown as Obj) as unknown as ApiObject,
          update: async (o) => store.update(o as unknown as Obj) as unknown as ApiObject,
        });
      },
      Get: async (r) => {
        await guard('Get');
        const q = r as Req;
        return store.get(q.kind, q.namespace, q.name);
      },
      Delete: async (r) => {
        await guard('Delete');
        const q = r as Req;
        return store.delete(q.kind, q.namespace, q.name);
      },
      List: async (r) => {
        await guard('List');
        const q = r as Req & { limit?: number; continue?: string; selector?: string };
        const all = [...store.objects.values()]
          .filter((o) => o.kind === q.kind && (q.namespace === undefined || o.metadata.namespace === q.namespace))
          .filter((o) => {
            if (!q.selector) return true;
            const [k, v] = q.selector.split('=');
            return (o.metadata['labels'] as Record<string, string> | undefined)?.[k!] === v;
          })
          .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
        const start = q.continue ? Number(q.continue) : 0;
        const end = q.limit ? start + q.limit : all.length;
        return { items: all.slice(start, end), resourceVersion: String(store.revision), ...(end < all.length ? { continue: String(end) } : {}) };
      },
      ClusterStatus: async () => {
        await guard('ClusterStatus');
        const masters = cluster.masters.map((m, i) => ({ id: `m${i + 1}`, reachable: true, role: m.address === cluster.leaderAddress ? 'leader' : 'follower', term: 3, commit: 42, applied: 42 - i, lag: i }));
        return { leader: 'm1', term: 3, commit: 42, applied: 42, lag: masters.length - 1, masters } satisfies ClusterStatus;
      },
      Logs: async (r, sink) => {
        await guard('Logs');
        if (self.logs === undefined) throw new ApiError('UNIMPLEMENTED', 'the fake masters have no Logs');
        await self.logs(r as Record<string, unknown>, sink);
      },
      Watch: async (r, sink) => {
        await guard('Watch');
        const q = r as Req & { watchId: string; resourceVersion?: string };
        const from = Number(q.resourceVersion ?? store.revision);
        if (from < self.compactedBelow) {
          sink.write({ type: 'watch-error', watchId: q.watchId, error: { code: 'FAILED_PRECONDITION', message: `revision ${from} is compacted`, details: {} } } satisfies WatchMessage);
          sink.end();
          return;
        }
        let sent = 0;
        const send = (e: StoredEvent): void => {
          if (e.revision <= from || e.object.kind !== q.kind) return;
          const m: WatchMessage = { type: 'watch-event', watchId: q.watchId, event: e.event, object: e.object, revision: e.revision };
          sink.write(m);
          sent += 1;
          if (self.eventsPerStream !== undefined && sent >= self.eventsPerStream) sink.end();
        };
        sinks.add(sink);
        for (const e of [...store.events]) send(e);
        const unsubscribe = store.subscribe(send);
        await sink.closed;
        unsubscribe();
        sinks.delete(sink);
      },
    },
  });
  const master: FakeMaster = Object.assign(self, {
    gateway,
    address: gateway.address,
    endStreams: () => {
      for (const s of sinks) s.end();
    },
  });
  return master;
}
