import { RecentSet, isAskReplyPath, type ActorContext, type ActorRef, type Terminated } from '../../actors/index.js';
import type { Leadership, NodeId, ProposeBatchReply, ReplicaMsg, ReplicaReply } from '../../raft/index.js';
import { admitCreate, admitUpdate, validate, type ApiObject } from '../api/index.js';
import { ApiError } from '../grpc/index.js';
import { encodeCommand, type KvStore, type TxnCommand, type TxnResult } from '../store/index.js';
import type { ApiReply, ApiRequest, ListResult } from './api-protocol.js';
import { atRevision, conflictOrMissing, failure, keyOfRequest, modifiedError, prefixOfRequest, selectionOf } from './api-requests.js';
import { applyObject } from './apply.js';
import { createTxn, decodeObject, deleteTxn, updateTxn } from './registry.js';
import { gracefulDeletion } from './pod-writes.js';
import { podWriteOps } from './pod-write-ops.js';
import type { ObjectFilter } from './watch-hub.js';
import { PodNodeIndex } from './pod-node-index.js';
import { DEFAULT_PROPOSER_LIMITS, Proposer, type ProposerLimits } from './proposer.js';
import { RevisionWaiters } from './revision-waiters.js';
import { WatchHub, type WatchMessage } from './watch-hub.js';

export interface ApiServerOptions {
  readonly id: NodeId;
  /** The state machine the local replica applies to: reads come from here. */
  readonly store: KvStore;
  /** The local raft replica, e.g. `drover://m1/user/raft`. */
  readonly raftPath: string;
  /** Every master's API actor, by replica id (writes go to the leader's). */
  readonly apiPaths: Readonly<Record<NodeId, string>>;
  /** Default 5,000 ms. */
  readonly proposeTimeoutMs?: number;
  /**
   * How long a follower waits for its own store to apply a write the leader
   * has acknowledged before answering anyway (the write is committed either
   * way; the wait gives read-your-writes on this master). Default 1,000 ms.
   */
  readonly catchUpWaitMs?: number;
  /** Group commit of this master's writes (see Proposer). */
  readonly proposer?: Partial<ProposerLimits>;
}

/**
 * Internal: the leadership stream from the replica; `serving`, told by the
 * master process once its gRPC gateway listens; and `whereis`, one master's
 * API server asking another for that address (answered with a WhereIs).
 */
type ApiMsg = ApiRequest | Leadership | Terminated | { readonly type: 'serving'; readonly grpcAddress: string } | { readonly type: 'whereis' };

export interface WhereIs {
  /** `host:port` of this master's gRPC API, or '' before it serves. */
  readonly grpcAddress: string;
}


/**
 * The API server of one master: validates and defaults objects (choosing
 * uids and timestamps from its context before proposing), writes through the
 * leader's replica with optimistic concurrency on resourceVersion, and reads
 * from the local store after a ReadIndex (or at once, for a stale read).
 * Requests run concurrently: the actor only dispatches them.
 *
 * Every master admits writes itself, leader or not: a follower proposes the
 * encoded transaction straight to the leader's replica (as etcd's followers
 * forward proposals), so the leader never decodes, validates or encodes a
 * follower's objects, and no object crosses between masters but inside raft
 * entries. Before it answers, a follower waits until its own store holds the
 * write. An update is admitted only from the version the client names: a
 * store that has not yet applied it is waited for, so a stale local copy can
 * never become the base of a write (which would undo fields the client did
 * not send, such as status).
 */
export function apiServer(opts: ApiServerOptions) {
  return (ctx: ActorContext<ApiMsg>) => {
    const localRaft = ctx.resolve<ReplicaMsg>(opts.raftPath);
    const timeoutMs = opts.proposeTimeoutMs ?? 5_000;
    const catchUpWaitMs = opts.catchUpWaitMs ?? 1_000;
    let leadership: Leadership | null = null;
    localRaft.tell({ type: 'subscribe-leadership' }, ctx.self);
    const hub = new WatchHub(opts.store);
    const podsByNode = new PodNodeIndex(opts.store);
    const applied = new RevisionWaiters(ctx.clock, opts.store.revision);
    const unsubscribeApplied = opts.store.subscribe(() => applied.reached(opts.store.revision));
    // watchId -> its subscriber, and subscriber path -> its watch ids.
    const watchOwners = new Map<string, ActorRef<WatchMessage>>();
    const watchesOf = new Map<string, Set<string>>();

    function startWatch(req: ApiRequest & { type: 'watch' }, to: ActorRef<WatchMessage> | null): void {
      if (to === null) return;
      const fail = (e: unknown) => to.tell({ type: 'watch-error', watchId: req.watchId, error: failure(e) });
      try {
        const { filter, node } = selectionOf(req.kind, req.selector, req.fieldSelector);
        const prefix = prefixOfRequest(req.kind, req.namespace);
        const from = req.resourceVersion === undefined ? undefined : Number(req.resourceVersion) + 1;
        if (from !== undefined && !Number.isInteger(from)) throw new ApiError('INVALID_ARGUMENT', `resourceVersion: not a revision: ${req.resourceVersion}`, { field: 'resourceVersion' });
        watchOwners.set(req.watchId, to);
        let ids = watchesOf.get(to.path);
        if (ids === undefined) {
          watchesOf.set(to.path, (ids = new Set()));
          ctx.watch(to as ActorRef<never>);
        }
        ids.add(req.watchId);
        hub.add(
          req.watchId,
          prefix,
          filter,
          from,
          (m) => {
            to.tell(m);
            if (m.type === 'watch-error') stopWatch(m.watchId);
          },
          node === undefined ? null : { field: 'spec.nodeName', value: node },
        );
      } catch (e) {
        fail(e);
      }
    }

    function stopWatch(watchId: string): void {
      hub.remove(watchId);
      const owner = watchOwners.get(watchId);
      watchOwners.delete(watchId);
      if (owner) watchesOf.get(owner.path)?.delete(watchId);
    }

    // Each master's gRPC address, as it told us: the leader hint a client can dial.
    let ownGrpcAddress = '';
    const grpcAddressOf = new Map<NodeId, string>();
    const learnAddressOf = (leader: NodeId): void => {
      const path = opts.apiPaths[leader];
      if (leader === '' || leader === opts.id || grpcAddressOf.has(leader) || path === undefined) return;
      ctx.resolve<ApiMsg>(path)
        .ask<WhereIs>({ type: 'whereis' }, { timeoutMs })
        .then(
          (w) => {
            if (w.grpcAddress !== '') grpcAddressOf.set(leader, w.grpcAddress);
          },
          () => undefined, // asked again at the next leadership change
        );
    };

    /**
     * UNAVAILABLE for a write or read that was not started: `leader` is always
     * set ('' when none is known), which tells a client it may retry safely,
     * and `leaderAddress` is the leader's gRPC address when known.
     */
    const unavailable = (why: string) => {
      const leader = leadership?.leader ?? '';
      const address = leader === opts.id ? ownGrpcAddress : (grpcAddressOf.get(leader) ?? '');
      return new ApiError('UNAVAILABLE', why, { leader, ...(address !== '' ? { leaderAddress: address } : {}) });
    };

    const proposer = new Proposer(
      {
        send: (path, datas) => ctx.resolve<ReplicaMsg>(path).ask<ProposeBatchReply>({ type: 'propose-batch', datas }, { timeoutMs }),
        target: () => (leadership?.role === 'leader' ? opts.raftPath : leadership?.leaderPath || ''),
        term: () => leadership?.term ?? 0,
        unavailable,
        limits: { ...DEFAULT_PROPOSER_LIMITS, ...opts.proposer },
      },
      opts.raftPath,
    );

    /**
     * Proposes to the leader's replica (this master's own when it leads),
     * batched with the other writes in flight, and returns the store's result
     * once the entry is applied there; on a follower, also waits (bounded)
     * until the local store has applied it.
     */
    async function propose(cmd: TxnCommand): Promise<TxnResult> {
      const { outcome, remote } = await proposer.propose(encodeCommand(cmd));
      if (!outcome.ok) throw new ApiError('UNAVAILABLE', `write dropped: ${outcome.reason}`);
      const res = outcome.result as TxnResult | { type: 'rejected'; message?: string };
      if (res.type !== 'txn') throw new ApiError('INTERNAL', `the store rejected the write: ${JSON.stringify(res)}`);
      if (remote) await applied.waitFor(res.revision, catchUpWaitMs);
      return res;
    }

    /**
     * The object at `key` as of at least `revision` in the local store: waits
     * for the store to apply it, and confirms by ReadIndex if the wait runs out.
     */
    async function objectAtLeast(key: string, revision: number): Promise<ApiObject | undefined> {
      if (opts.store.revision < revision && !(await applied.waitFor(revision, catchUpWaitMs))) await linearize(false);
      return objectAt(key);
    }

    /** Waits until this master's store reflects every write acknowledged before now. */
    async function linearize(stale: boolean | undefined): Promise<void> {
      if (stale) return;
      const r = await localRaft.ask<ReplicaReply>({ type: 'read-index' }, { timeoutMs });
      if (!r.ok) throw unavailable('no leader to confirm a linearizable read; retry, or ask for a stale read');
    }

    function objectAt(key: string): ApiObject | undefined {
      const kv = opts.store.get(key);
      return kv ? decodeObject(kv) : undefined;
    }

    const podWrites = podWriteOps({ objectAt, objectAtLeast, linearize, propose, nowIso: () => new Date(ctx.clock.now()).toISOString() });

    async function write(req: ApiRequest & { type: 'create' | 'update' | 'delete' | 'apply' | 'update-status' | 'bind' }): Promise<unknown> {
      switch (req.type) {
        case 'update-status':
          return podWrites.updateStatus(req.object);
        case 'bind':
          return podWrites.bind(req.bindings);
        case 'apply': {
          const written = validate(req.object, { beforeDefaults: true });
          if (!written.ok) throw written.error;
          const desired = written.value;
          const key = keyOfRequest(desired.kind, desired.metadata.namespace, desired.metadata.name);
          return applyObject(desired, {
            current: async () => {
              await linearize(false);
              return objectAt(key);
            },
            create: (object) => write({ type: 'create', object }) as Promise<ApiObject>,
            update: (object) => write({ type: 'update', object }) as Promise<ApiObject>,
          });
        }
        case 'create': {
          const admitted = admitCreate(req.object, { nowIso: new Date(ctx.clock.now()).toISOString(), uid: ctx.random.uuid() });
          if (!admitted.ok) throw admitted.error;
          const obj = admitted.value;
          const res = await propose(createTxn(obj));
          const key = keyOfRequest(obj.kind, obj.metadata.namespace, obj.metadata.name);
          if (!res.succeeded) throw new ApiError('ALREADY_EXISTS', `${key} already exists`, { objectKey: key });
          return atRevision(obj, res.revision);
        }
        case 'update': {
          const input = req.object as Partial<ApiObject> | undefined;
          const meta = input?.metadata;
          const key = keyOfRequest(input?.kind, meta?.namespace, meta?.name);
          const named = meta?.resourceVersion === undefined ? undefined : Number(meta.resourceVersion);
          if (named !== undefined && !(Number.isInteger(named) && named > 0)) {
            throw new ApiError('INVALID_ARGUMENT', `metadata.resourceVersion: not a revision: ${String(meta?.resourceVersion)}`, { field: 'metadata.resourceVersion' });
          }
          // The base of the update: the version the client names (waited for
          // if this store is behind it), or without one the latest, by ReadIndex.
          // No ReadIndex when it is named: the write compares on modRevision,
          // so anything newer than the named version is a conflict, never a lost update.
          let old: ApiObject | undefined;
          if (named === undefined) {
            await linearize(false);
            old = objectAt(key);
          } else {
            old = await objectAtLeast(key, named);
          }
          if (old === undefined) throw new ApiError('NOT_FOUND', `${key} not found`, { objectKey: key });
          const expected = named ?? Number(old.metadata.resourceVersion);
          if (Number(old.metadata.resourceVersion) !== expected) throw modifiedError(key, expected, old.metadata.resourceVersion ?? '');
          const admitted = admitUpdate(old, req.object);
          if (!admitted.ok) throw admitted.error;
          const res = await propose(updateTxn(admitted.value, expected));
          if (!res.succeeded) throw conflictOrMissing(key, res, expected);
          return atRevision(admitted.value, res.revision);
        }
        case 'delete': {
          const key = keyOfRequest(req.kind, req.namespace, req.name);
          let expected = req.resourceVersion === undefined ? undefined : Number(req.resourceVersion);
          if (req.uid !== undefined) {
            // The uid precondition: read, check, and delete at the version read.
            const named = expected;
            const current = named === undefined ? (await linearize(false), objectAt(key)) : await objectAtLeast(key, named);
            if (current === undefined || current.metadata.uid !== req.uid) throw new ApiError('NOT_FOUND', `${key} (uid ${req.uid}) not found`, { objectKey: key });
            expected = Number(current.metadata.resourceVersion);
            if (named !== undefined && named !== expected) throw modifiedError(key, named, expected);
          }
          if (req.gracePeriodSeconds !== undefined && !(Number.isInteger(req.gracePeriodSeconds) && req.gracePeriodSeconds >= 0)) {
            throw new ApiError('INVALID_ARGUMENT', `gracePeriodSeconds: must be an integer >= 0, got ${String(req.gracePeriodSeconds)}`, { field: 'gracePeriodSeconds' });
          }
          if (req.kind === 'Pod' && req.gracePeriodSeconds !== 0) {
            // A pod on a node is stopped by its agent first: mark it terminating.
            await linearize(false);
            const old = objectAt(key);
            const graceful = old === undefined ? null : gracefulDeletion(old, req.gracePeriodSeconds, ctx.clock.now());
            if (graceful?.type === 'unchanged') return graceful.pod;
            if (graceful !== null && old !== undefined) {
              const at = Number(old.metadata.resourceVersion);
              if (expected !== undefined && expected !== at) throw modifiedError(key, expected, at);
              const res = await propose(updateTxn(graceful.pod, at));
              if (!res.succeeded) throw conflictOrMissing(key, res, at);
              return atRevision(graceful.pod, res.revision);
            }
          }
          const res = await propose(deleteTxn(key, expected));
          if (!res.succeeded) throw conflictOrMissing(key, res, expected ?? 0);
          const prev = res.results[0]?.type === 'delete' ? res.results[0].prevKv : undefined;
          return prev ? decodeObject(prev) : null;
        }
      }
    }

    /** A list of the pods bound to one node, from the index: what a node agent asks, without decoding every pod. */
    function listOfNode(node: string, prefix: string, selector: ObjectFilter | null, req: ApiRequest & { type: 'list' }): ListResult {
      const limit = req.limit && req.limit > 0 ? req.limit : Number.POSITIVE_INFINITY;
      const items: ApiObject[] = [];
      let last: string | undefined;
      let more = false;
      for (const key of podsByNode.keysOf(node)) {
        if (!key.startsWith(prefix) || (req.continue !== undefined && key <= req.continue)) continue;
        if (items.length >= limit) {
          more = true;
          break;
        }
        const obj = objectAt(key);
        if (obj !== undefined && (!selector || selector(obj))) items.push(obj);
        last = key;
      }
      return { items, resourceVersion: String(opts.store.revision), ...(more && last ? { continue: last } : {}) };
    }

    async function read(req: ApiRequest & { type: 'get' | 'list' }): Promise<unknown> {
      await linearize(req.stale);
      if (req.type === 'get') {
        const key = keyOfRequest(req.kind, req.namespace, req.name);
        const obj = objectAt(key);
        if (obj === undefined) throw new ApiError('NOT_FOUND', `${key} not found`, { objectKey: key });
        return obj;
      }
      const { filter: selector, node } = selectionOf(req.kind, req.selector, req.fieldSelector);
      const prefix = prefixOfRequest(req.kind, req.namespace);
      if (node !== undefined) return listOfNode(node, prefix, selector, req);
      const items: ApiObject[] = [];
      let startAfter = req.continue;
      let revision = 0;
      let more = true;
      const limit = req.limit && req.limit > 0 ? req.limit : Number.POSITIVE_INFINITY;
      while (more && items.length < limit) {
        const page = opts.store.range({ prefix, ...(startAfter ? { startAfter } : {}), ...(Number.isFinite(limit) ? { limit: limit - items.length } : {}), ...(revision ? { revision } : {}) });
        revision = page.revision;
        more = page.more;
        for (const kv of page.kvs) {
          startAfter = kv.key;
          const obj = decodeObject(kv);
          if (!selector || selector(obj)) items.push(obj);
        }
        if (page.kvs.length === 0) break;
      }
      const result: ListResult = { items, resourceVersion: String(revision), ...(more && startAfter ? { continue: startAfter } : {}) };
      return result;
    }

    // Askers of recent writes: a write delivered twice (a duplicated frame)
    // runs once, or its second run's conflict could be the answer the
    // client sees for a write that happened.
    const recentWriters = new RecentSet(16_384);

    function serve(req: Exclude<ApiRequest, { type: 'watch' | 'unwatch' }>, replyTo: ActorRef<ApiReply> | null): void {
      const isWrite = req.type !== 'get' && req.type !== 'list';
      if (isWrite && replyTo !== null && isAskReplyPath(replyTo.path) && !recentWriters.add(replyTo.path)) return;
      // Promise.resolve().then: a synchronous throw becomes a reply too.
      const work = Promise.resolve().then(() => (isWrite ? write(req) : read(req as ApiRequest & { type: 'get' | 'list' })));
      work.then(
        (value) => replyTo?.tell({ ok: true, value }),
        (e: unknown) => replyTo?.tell({ ok: false, error: failure(e) }),
      );
    }

    const receive = (m: ApiMsg): void => {
      if (m.type === 'leadership') {
        leadership = m;
        learnAddressOf(m.leader);
        proposer.kick();
        return;
      }
      if (m.type === 'serving') {
        ownGrpcAddress = m.grpcAddress;
        return;
      }
      if (m.type === 'whereis') {
        ctx.reply({ grpcAddress: ownGrpcAddress } satisfies WhereIs);
        return;
      }
      if (m.type === 'Terminated') {
        // A subscriber went away: end its watches.
        for (const id of watchesOf.get(m.ref.path) ?? []) stopWatch(id);
        watchesOf.delete(m.ref.path);
        return;
      }
      if (m.type === 'watch') return startWatch(m, ctx.sender as ActorRef<WatchMessage> | null);
      if (m.type === 'unwatch') return stopWatch(m.watchId);
      serve(m, ctx.sender as ActorRef<ApiReply> | null);
    };

    return {
      receive,
      postStop: () => {
        proposer.close();
        podsByNode.close();
        unsubscribeApplied();
        applied.cancelAll();
      },
    };
  };
}
