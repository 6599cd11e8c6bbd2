import type { ActorContext, ActorRef, Behavior, Terminated } from '../../actors/index.js';
import type { Pod, PodStatus, Taint } from '../../core/api/index.js';
import { ApiError, ApiLink, apiPathOf, heartbeatPathOf, type AgentLogsRequest, type ApiReply, type ApiRequest, type ListResult, type NodeHeartbeat, type WatchMessage } from '../../core/client/index.js';
import type { Node } from '../../core/api/index.js';
import type { PodTerminated, PodWorkerMsg } from '../pod-worker/index.js';
import type { ContainerExit, ContainerRuntime } from '../runtime/index.js';
import { logsServer } from './logs-server.js';
import { newNode, nodeStatus, reRegisteredNode, type NodeFacts, type NodeRegistration } from './node-object.js';


/** How the agent makes the worker of one pod (the pod worker's behaviour with the agent's runtime, prober and status report). */
export type PodWorkerFactory = (pod: Pod, report: (pod: Pod, status: PodStatus) => Promise<void>) => Behavior<PodWorkerMsg>;

export interface NodeAgentOptions {
  readonly nodeName: string;
  /** The masters' ids (their systems' names). */
  readonly masters: readonly string[];
  readonly runtime: ContainerRuntime;
  readonly facts: NodeFacts;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[];
  readonly reserved?: { readonly cpuMillis: number; readonly memoryBytes: number };
  readonly podWorker: PodWorkerFactory;
  /** Default 400 ms (the masters judge a node after 1,200 ms of silence by default). */
  readonly heartbeatIntervalMs?: number;
  /** Per API request attempt. Default 3,000 ms. */
  readonly requestTimeoutMs?: number;
  /** Grace for containers found running that belong to no pod of this node. Default 10 s. */
  readonly orphanGracePeriodMs?: number;
  /**
   * The pods are listed again this often, besides the watch: a safety net
   * for an event lost on the way (as the kubelet resyncs). Default 30 s.
   */
  readonly relistIntervalMs?: number;
  /**
   * A watch request not confirmed (watch-started) within this is asked
   * again, of the next master; the wait doubles with each miss (a loaded
   * master must not be asked ever more often), up to 8x. Default 3,000 ms.
   */
  readonly watchStartTimeoutMs?: number;
}

type AgentMsg =
  | WatchMessage
  | AgentLogsRequest
  | PodTerminated
  | Terminated
  | { readonly type: 'heartbeat' }
  | { readonly type: 'registered' }
  | { readonly type: 'listed'; readonly list: ListResult }
  | { readonly type: 'start-sync' }
  | { readonly type: 'container-exited'; readonly exit: ContainerExit }
  | { readonly type: 'watch-master-gone' }
  | { readonly type: 'watch-start-timeout'; readonly watchId: string }
  | { readonly type: 'relist' };

const RETRY_MS = 1_000;

/**
 * The node agent (the kubelet): registers its Node, heartbeats to every
 * master, lists and then watches the pods bound to it (from any master,
 * moving to another when that one dies, resuming after the last revision
 * seen), and runs one pod worker per pod. When a worker has stopped a
 * terminating pod's containers, the agent removes the pod for good.
 * Containers of pods that are no longer bound here are stopped and removed
 * once the first list is in (adoption keeps the rest: their workers find them).
 */
export function nodeAgent(opts: NodeAgentOptions) {
  return (ctx: ActorContext<AgentMsg>) => {
    const link = new ApiLink({
      masters: opts.masters,
      ask: (path, req, timeoutMs) => ctx.ask<ApiReply>(ctx.resolve<ApiRequest>(path), req, { timeoutMs }),
      sleep: (ms) => ctx.delay(ms),
      firstMaster: ctx.random.int(opts.masters.length),
      ...(opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
    });
    const reg: NodeRegistration = {
      nodeName: opts.nodeName,
      labels: opts.labels ?? {},
      taints: opts.taints ?? [],
      reserved: opts.reserved ?? { cpuMillis: 0, memoryBytes: 0 },
    };
    const bootId = ctx.random.uuid();
    const workers = new Map<string, ActorRef<PodWorkerMsg>>(); // pod uid -> worker
    const lastSeen = new Map<string, Pod>(); // pod uid -> latest version seen
    let lastRevision = 0;
    // Pods (uids) delivered at lastRevision: a bind writes up to 200 pods at
    // one revision; a resumed watch replays that revision and drops these.
    let seenAtLast = new Set<string>();
    let watchId = '';
    let watchSeq = 0;
    let watchMisses = 0;
    let watchedApi: ActorRef<never> | null = null;
    let swept = false;
    const fieldSelector = `spec.nodeName=${opts.nodeName}`;
    const nowIso = () => new Date(ctx.clock.now()).toISOString();
    const later = (m: AgentMsg, ms = RETRY_MS) => ctx.timers.startSingle(`retry-${m.type}`, m, ms);

    const unsubscribeExits = opts.runtime.onExit((exit) => ctx.self.tell({ type: 'container-exited', exit }));
    // Masters ask the agent for logs; its child answers them (the sender is kept).
    const logs = ctx.spawn(logsServer({ runtime: opts.runtime, nodeName: opts.nodeName }), 'logs');

    async function register(): Promise<void> {
      ctx.log.debug({ node: opts.nodeName, master: link.current }, 'registering the node');
      const created = newNode(opts.facts, reg, nowIso());
      try {
        await link.call({ type: 'create', object: created }, true);
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 'ALREADY_EXISTS') throw e;
      }
      // Registered before (a restart): merge labels and taints, then report Ready.
      const existing = await link.call<Node>({ type: 'get', kind: 'Node', name: opts.nodeName }, true);
      const merged = reRegisteredNode(existing, opts.facts, reg);
      const updated = await link.call<Node>({ type: 'update', object: merged }, false);
      await link.call({ type: 'update-status', object: { ...updated, metadata: { ...updated.metadata, resourceVersion: undefined }, status: nodeStatus(opts.facts, reg, nowIso()) } }, true);
    }

    function report(pod: Pod, status: PodStatus): Promise<void> {
      const { resourceVersion: _rv, ...metadata } = pod.metadata;
      return link.call<Pod>({ type: 'update-status', object: { ...pod, metadata, status } }, true).then(() => undefined);
    }

    function upsert(pod: Pod): void {
      const uid = pod.metadata.uid ?? '';
      lastSeen.set(uid, pod);
      const w = workers.get(uid);
      if (w !== undefined) {
        w.tell({ type: 'pod', pod });
        return;
      }
      const worker = ctx.spawn(opts.podWorker(pod, report), `pod-${uid}`);
      workers.set(uid, worker);
    }

    function gone(pod: Pod): void {
      const uid = pod.metadata.uid ?? '';
      lastSeen.delete(uid);
      workers.get(uid)?.tell({ type: 'pod-gone' });
    }

    /** Stops and removes containers of pods not bound here (after the first list: adoption keeps the rest). */
    async function sweepOrphans(): Promise<void> {
      for (const c of await opts.runtime.list()) {
        // Looked up per container: a pod may have arrived while the list was read.
        if (lastSeen.has(c.podUid) || workers.has(c.podUid)) continue;
        ctx.log.info({ pod: `${c.podNamespace}/${c.podName}`, container: c.containerName, id: c.id }, 'removing a container of a pod no longer on this node');
        await opts.runtime.stop(c.id, opts.orphanGracePeriodMs ?? 10_000);
        await opts.runtime.remove(c.id);
      }
    }

    function startWatch(): void {
      if (watchedApi !== null) {
        ctx.unwatch(watchedApi);
        (watchedApi as ActorRef<ApiRequest>).tell({ type: 'unwatch', watchId });
      }
      const master = link.current;
      watchId = `${opts.nodeName}-${bootId}-${++watchSeq}`;
      const api = ctx.resolve<ApiRequest>(apiPathOf(master));
      watchedApi = api as ActorRef<never>;
      // A master that dies (or is cut off) ends its watch: the death watch tells us, and we resume on another.
      ctx.watch(watchedApi, { type: 'watch-master-gone' });
      // A lost request (or a master that dropped the watch) is found by the missing confirmation.
      const waitMs = (opts.watchStartTimeoutMs ?? 3_000) * 2 ** Math.min(3, watchMisses);
      ctx.timers.startSingle('watch-start', { type: 'watch-start-timeout', watchId }, waitMs);
      api.tell({ type: 'watch', watchId, kind: 'Pod', fieldSelector, resourceVersion: String(seenAtLast.size > 0 ? lastRevision - 1 : lastRevision) }, ctx.self as ActorRef<never>);
    }

    function list(): void {
      link.call<ListResult>({ type: 'list', kind: 'Pod', fieldSelector }, true).then(
        (l) => ctx.self.tell({ type: 'listed', list: l }),
        (e: unknown) => {
          ctx.log.warn({ err: e }, 'listing the pods of this node failed; retrying');
          later({ type: 'start-sync' });
        },
      );
    }

    function onListed(l: ListResult): void {
      // A list older than what the watch delivered (a slow reply, a lagging
      // master) would undo newer news: wait for the next one.
      if (Number(l.resourceVersion) < lastRevision) return;
      const listed = new Set<string>();
      for (const obj of l.items) {
        const pod = obj as Pod;
        listed.add(pod.metadata.uid ?? '');
        upsert(pod);
      }
      // Pods that went while we were not watching.
      for (const [uid, pod] of [...lastSeen]) if (!listed.has(uid)) gone(pod);
      lastRevision = Number(l.resourceVersion);
      seenAtLast = new Set();
      startWatch();
      if (!swept) {
        swept = true;
        sweepOrphans().catch((e: unknown) => ctx.log.warn({ err: e }, 'removing orphaned containers failed'));
      }
    }

    function finishDeletion(m: PodTerminated): void {
      workers.delete(m.podUid);
      const pod = lastSeen.get(m.podUid);
      if (pod === undefined || pod.metadata.deletionTimestamp === undefined) return; // already gone from the API, or not being deleted
      removeForGood(m).catch((e: unknown) => ctx.log.warn({ err: e, pod: `${m.namespace}/${m.name}` }, 'removing a terminated pod failed'));
    }

    /** Deletes the pod with grace 0, only while it is still the same pod (uid) at the version read. */
    async function removeForGood(m: PodTerminated): Promise<void> {
      for (let attempt = 0; attempt < 5; attempt++) {
        let current: Pod;
        try {
          current = await link.call<Pod>({ type: 'get', kind: 'Pod', namespace: m.namespace, name: m.name }, true);
        } catch (e) {
          if (e instanceof ApiError && e.code === 'NOT_FOUND') return;
          throw e;
        }
        if (current.metadata.uid !== m.podUid) return; // replaced by another pod of the same name
        const rv = current.metadata.resourceVersion;
        try {
          await link.call({ type: 'delete', kind: 'Pod', namespace: m.namespace, name: m.name, gracePeriodSeconds: 0, ...(rv !== undefined ? { resourceVersion: rv } : {}) }, true);
          return;
        } catch (e) {
          if (e instanceof ApiError && e.code === 'NOT_FOUND') return;
          if (!(e instanceof ApiError) || e.code !== 'ABORTED') throw e;
        }
      }
    }

    return {
      preStart: () => {
        ctx.self.tell({ type: 'start-sync' });
        ctx.timers.startPeriodic('heartbeat', { type: 'heartbeat' }, opts.heartbeatIntervalMs ?? 400);
      },
      receive: (m: AgentMsg) => {
        switch (m.type) {
          case 'heartbeat': {
            const hb: NodeHeartbeat = { type: 'node-heartbeat', nodeName: opts.nodeName, bootId };
            for (const id of opts.masters) ctx.resolve<NodeHeartbeat>(heartbeatPathOf(id)).tell(hb);
            return;
          }
          case 'start-sync':
            // Registration is retried until it holds; it comes before the pods.
            register().then(
              () => ctx.self.tell({ type: 'registered' }),
              (e: unknown) => {
                ctx.log.warn({ err: e }, 'registering the node failed; retrying');
                later({ type: 'start-sync' });
              },
            );
            return;
          case 'registered':
            ctx.log.info({ node: opts.nodeName, runtime: opts.runtime.version }, 'node registered');
            list();
            ctx.timers.startPeriodic('relist', { type: 'relist' }, opts.relistIntervalMs ?? 30_000);
            return;
          case 'relist':
            list();
            return;
          case 'watch-started':
            if (m.watchId !== watchId) return;
            ctx.timers.cancel('watch-start');
            watchMisses = 0;
            return;
          case 'watch-start-timeout':
            if (m.watchId !== watchId) return;
            watchMisses++;
            ctx.log.warn({ master: link.current, misses: watchMisses }, 'the pod watch was not confirmed; asking the next master');
            link.moveOn();
            startWatch();
            return;
          case 'listed':
            onListed(m.list);
            return;
          case 'watch-event': {
            if (m.watchId !== watchId || m.revision < lastRevision) return; // an old stream, or a replay we have
            const uid = m.object.metadata.uid ?? '';
            if (m.revision === lastRevision && seenAtLast.has(uid)) return;
            if (m.revision > lastRevision) seenAtLast = new Set();
            seenAtLast.add(uid);
            lastRevision = m.revision;
            const pod = m.object as Pod;
            if (m.event === 'DELETED') gone(pod);
            else upsert(pod);
            return;
          }
          case 'watch-error':
            if (m.watchId !== watchId) return;
            ctx.log.warn({ error: m.error }, 'the pod watch ended; listing again');
            link.moveOn();
            list();
            return;
          case 'watch-master-gone':
            ctx.log.warn({ master: link.current }, 'the master serving the pod watch is gone; resuming on another');
            watchedApi = null;
            link.moveOn();
            startWatch();
            return;
          case 'container-exited': {
            workers.get(m.exit.podUid)?.tell(m);
            return;
          }
          case 'pod-terminated':
            finishDeletion(m);
            return;
          case 'logs':
          case 'logs-ack':
          case 'logs-cancel':
            ctx.forward(logs, m);
            return;
          case 'Terminated':
            // A worker stopped (after pod-terminated, or crashed and was not restarted).
            for (const [uid, w] of workers) if (w.path === m.ref.path) workers.delete(uid);
            return;
        }
      },
      postStop: () => {
        unsubscribeExits();
        if (watchedApi !== null) (watchedApi as ActorRef<ApiRequest>).tell({ type: 'unwatch', watchId });
      },
    };
  };
}
