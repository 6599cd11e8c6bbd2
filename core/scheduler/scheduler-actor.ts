import type { ActorContext } from '../../actors/index.js';
import type { Pod, PodCondition } from '../api/index.js';
import type { CacheChange, ObjectCache } from '../cache/index.js';
import { EventBudget, nameSuffix, requestOf } from '../control-loop/index.js';
import { isFinished, isTerminating, referenceTo } from '../controllers/index.js';
import type { ApiReply, ApiRequest, BindResult, PodBinding } from '../master/index.js';
import { SchedulerCache } from './cache.js';
import { podFitsNode } from './fits-node.js';
import { ParkedPods } from './parked-pods.js';
import type { PodUnschedulable } from './schedule-one.js';
import { podKeyOf } from './pod-info.js';
import { createFramework } from './profile.js';
import { scheduleBatch, type BatchPlacement, type BatchRejection } from './schedule-batch.js';
import type { ScheduleOptions } from './schedule-one.js';

export interface SchedulerActorOptions {
  /** The leader's view of the store (Pods and Nodes cached). */
  readonly cache: ObjectCache;
  /** The local API actor: binds and status writes go there. */
  readonly apiPath: string;
  /** Pods placed per cycle and bound in one request. Default 500. */
  readonly batchMax?: number;
  /** Bind requests in flight at once (the next batch is placed while one commits). Default 2. */
  readonly bindsInFlightMax?: number;
  /** An unschedulable pod is tried again at least this often (and at once when a node it fits changes or a bound pod leaves one). Default 60 s. */
  readonly unschedulableRetryMs?: number;
  /** An assumed placement never seen bound is dropped after this long. Default 30 s. */
  readonly assumedPodTtlMs?: number;
  /** Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** A cycle places pods for about this long at most, then yields to the event loop. Default 20 ms. */
  readonly cycleBudgetMs?: number;
  /** FailedScheduling events written per second at most. Default 20. */
  readonly eventsPerSecondMax?: number;
}

type SchedulerMsg =
  | { readonly type: 'changes'; readonly changes: readonly CacheChange[] }
  | { readonly type: 'schedule' }
  | { readonly type: 'bound'; readonly bindings: readonly PodBinding[]; readonly result: BindResult | null }
  | { readonly type: 'expire' }
  | { readonly type: 'retry-unschedulable' }
  | { readonly type: 'status-written' };

/** How often the message of a pod marked unschedulable may change. */
const UNSCHEDULABLE_REWRITE_MS = 10_000;

/** Unschedulable-status writes in flight at most. */
const STATUS_WRITES_MAX = 16;

/** Pods placed between looks at the clock. */
const SLICE_PODS = 25;

/** Which parked pods one batch of changes wakes: those fitting `nodes`, or `all`. */
interface Wake {
  readonly nodes: Set<string>;
  all: boolean;
}

/** A pod waits for scheduling when it is bound to no node and not being deleted. */
function waitsForNode(pod: Pod): boolean {
  return pod.spec.nodeName === undefined && !isTerminating(pod) && !isFinished(pod);
}

function unschedulableCondition(message: string, nowIso: string): PodCondition {
  return { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: nowIso };
}

/**
 * The scheduler, on the leader only: keeps the scheduler cache in step with
 * the store's Nodes and Pods, takes the pods that wait for a node in bursts,
 * places each burst with scheduleBatch (every placement assumed at once, so
 * the next pod sees it), and binds the burst with one request (one log
 * entry per 200 pods). While one burst commits, the next is placed. A pod
 * that fits nowhere gets PodScheduled False with the reason per filter and
 * a FailedScheduling event, and is tried again when nodes or pods change.
 */
export function schedulerActor(opts: SchedulerActorOptions) {
  return (ctx: ActorContext<SchedulerMsg>) => {
    const sc = new SchedulerCache({ assumedPodTtlMs: opts.assumedPodTtlMs ?? 30_000 });
    const pending = new Map<string, Pod>(); // pod key -> latest version, in arrival order
    const parked = new ParkedPods(); // unschedulable, waiting for a change
    const framework = createFramework();
    let startNodeIndex = 0;
    let bindsInFlight = 0;
    let cycleQueued = false;
    let stopListening: () => void = () => undefined;
    const batchMax = opts.batchMax ?? 500;
    const cycleBudgetMs = opts.cycleBudgetMs ?? 20;
    const inFlightMax = opts.bindsInFlightMax ?? 2;
    const timeoutMs = opts.requestTimeoutMs ?? 10_000;
    const api = ctx.resolve<ApiRequest>(opts.apiPath);
    const options: ScheduleOptions = { framework, pick: (n) => ctx.random.int(n) };

    const kick = () => {
      if (cycleQueued) return;
      cycleQueued = true;
      ctx.self.tell({ type: 'schedule' });
    };

    const requeue = (pods: readonly Pod[]) => {
      for (const p of pods) pending.set(podKeyOf(p), p);
    };
    const unpark = () => requeue(parked.takeAll());
    /** Wakes the parked classes that now fit one of `nodeNames` (queueing hints: a change to one node concerns only the pods that fit it). */
    const unparkFitting = (nodeNames: ReadonlySet<string>) => {
      const nodes = [...nodeNames].map((n) => sc.nodeInfo(n)).filter((n) => n !== undefined);
      if (nodes.length > 0) requeue(parked.takeFitting((pod) => nodes.some((node) => podFitsNode(pod, node, sc, framework))));
    };

    function onPod(change: CacheChange, wake: Wake): void {
      const pod = change.object as Pod;
      const key = podKeyOf(pod);
      if (change.type === 'DELETED') {
        sc.removePod(key, pod.metadata.uid);
        pending.delete(key);
        parked.delete(key);
        if (pod.spec.nodeName !== undefined) freed(pod, wake); // room was freed
        return;
      }
      if (pod.spec.nodeName !== undefined) {
        sc.upsertPod(pod); // confirms our assumption, or counts another binder's pod
        pending.delete(key);
        parked.delete(key);
        const before = change.old as Pod | undefined;
        // A pod that finished or is going frees room for the waiting ones.
        if (before !== undefined && (pod.status?.phase !== before.status?.phase || pod.metadata.deletionTimestamp !== before.metadata.deletionTimestamp)) freed(pod, wake);
        return;
      }
      if (!waitsForNode(pod)) {
        pending.delete(key);
        parked.delete(key);
        return;
      }
      const placed = sc.placementOf(key);
      if (placed?.assumed === true && placed.uid === pod.metadata.uid) return; // placed; its bind is on its way
      if (parked.has(key)) parked.set(key, pod);
      else pending.set(key, pod);
    }

    /**
     * A pod left `pod.spec.nodeName` (or will): the room is on that node, so
     * the classes that fit it wake. A pod with required anti-affinity may
     * also have kept pods off the other nodes of its topology domains: then
     * everything wakes.
     */
    function freed(pod: Pod, wake: Wake): void {
      const anti = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (anti !== undefined && anti.length > 0) wake.all = true;
      else wake.nodes.add(pod.spec.nodeName!);
    }

    function onChanges(changes: readonly CacheChange[]): void {
      const wake: Wake = { nodes: new Set(), all: false };
      for (const c of changes) {
        if (c.kind === 'Pod') onPod(c, wake);
        else if (c.kind === 'Node') {
          // A node removed makes no pod fit; one added or changed may.
          if (c.type === 'DELETED') sc.removeNode(c.object.metadata.name);
          else {
            sc.upsertNode(c.object as never);
            wake.nodes.add(c.object.metadata.name);
          }
        }
      }
      if (wake.all) unpark();
      else if (wake.nodes.size > 0) unparkFitting(wake.nodes);
      if (pending.size > 0) kick();
    }

    // FailedScheduling events per second at most (a burst of unschedulable pods must not flood the log).
    const events = new EventBudget(opts.eventsPerSecondMax ?? 20, () => ctx.clock.now());

    // Status writes for unschedulable pods wait here, at most STATUS_WRITES_MAX
    // in flight: a burst of ten thousand must not bury the store's write path.
    const statusQueue = new Map<string, { pod: Pod; message: string }>();
    let statusInFlight = 0;

    function reportUnschedulable(pod: Pod, message: string): void {
      const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (current?.status === 'False' && current.message === message) return; // said already
      // A pod already marked unschedulable gets a new message at most every
      // UNSCHEDULABLE_REWRITE_MS: while nodes change one by one, the counts in
      // the message change with each, and rewriting ten thousand pods per
      // node change would bury the binds.
      const writtenAt = Date.parse(current?.lastTransitionTime ?? '');
      if (current?.status === 'False' && Number.isFinite(writtenAt) && ctx.clock.now() - writtenAt < UNSCHEDULABLE_REWRITE_MS) return;
      statusQueue.set(podKeyOf(pod), { pod, message });
      drainStatusQueue();
    }

    function drainStatusQueue(): void {
      // Binds first: status writes wait while pods are being placed.
      if (bindsInFlight > 0 || pending.size > 0) return;
      for (const [key, { pod, message }] of statusQueue) {
        if (statusInFlight >= STATUS_WRITES_MAX) return;
        statusQueue.delete(key);
        const latest = opts.cache.get('Pod', pod.metadata.namespace, pod.metadata.name);
        if (latest === undefined || latest.metadata.uid !== pod.metadata.uid || !waitsForNode(latest)) continue; // placed or gone meanwhile
        statusInFlight++;
        void writeUnschedulable(latest, message).finally(() => ctx.self.tell({ type: 'status-written' }));
      }
    }

    function writeUnschedulable(pod: Pod, message: string): Promise<unknown> {
      const nowIso = new Date(ctx.clock.now()).toISOString();
      const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), unschedulableCondition(message, nowIso)];
      const status = { ...pod.status, phase: pod.status?.phase ?? 'Pending', conditions };
      // At the version the scheduler judged: a pod bound (and reported
      // Running) meanwhile makes this ABORTED, and it is simply dropped.
      const written = ctx.ask<ApiReply>(api, { type: 'update-status', object: { ...pod, status } }, { timeoutMs }).catch(() => undefined);
      if (!events.take()) return written;
      const event = requestOf({ type: 'event', involved: referenceTo(pod), eventType: 'Warning', reason: 'FailedScheduling', message }, () => nameSuffix(ctx.random, 8), nowIso, 'scheduler');
      void ctx.ask<ApiReply>(api, event, { timeoutMs }).catch(() => undefined);
      return written;
    }

    function cycle(): void {
      cycleQueued = false;
      if (pending.size === 0) return drainStatusQueue();
      if (bindsInFlight >= inFlightMax) return;
      const burst: Pod[] = [];
      for (const [key, pod] of pending) {
        if (burst.length >= batchMax) break;
        pending.delete(key);
        burst.push(pod);
      }
      if (sc.nodeInfos.length === 0) {
        // No node has registered yet (a cluster coming up): wait for one
        // rather than write "0/0 nodes are available" on every pod.
        for (const p of burst) parked.set(podKeyOf(p), p);
        return;
      }
      // Time-sliced: a cycle places pods for at most cycleBudgetMs, then
      // yields (the raft replica shares this event loop: a long stall here
      // would look like a dead leader). What is left goes back to the queue.
      const nowMs = ctx.clock.now();
      const placements: BatchPlacement[] = [];
      const unschedulable: BatchRejection[] = [];
      const unfitClasses = new Map<string, PodUnschedulable>();
      let at = 0;
      while (at < burst.length) {
        const slice = burst.slice(at, at + SLICE_PODS);
        at += slice.length;
        const r = scheduleBatch(slice, sc, { ...options, startNodeIndex }, nowMs, unfitClasses);
        startNodeIndex = r.nextStartNodeIndex;
        placements.push(...r.placements);
        unschedulable.push(...r.unschedulable);
        if (ctx.clock.now() - nowMs >= cycleBudgetMs) break;
      }
      for (const p of burst.slice(at)) pending.set(podKeyOf(p), p);
      const result = { placements, unschedulable };
      for (const r of result.unschedulable) {
        if (r.result.type === 'unschedulable') {
          parked.set(r.podKey, r.pod);
          reportUnschedulable(r.pod, r.result.message);
        } else {
          ctx.log.error({ pod: r.podKey, plugin: r.result.plugin, message: r.result.message }, 'a scheduler plugin failed; the pod waits');
          parked.set(r.podKey, r.pod);
        }
      }
      if (result.placements.length > 0) {
        const bindings: PodBinding[] = result.placements.map((p) => ({
          namespace: p.pod.metadata.namespace ?? 'default',
          name: p.pod.metadata.name,
          uid: p.pod.metadata.uid ?? '',
          nodeName: p.nodeName,
          ...(p.pod.metadata.resourceVersion !== undefined ? { resourceVersion: p.pod.metadata.resourceVersion } : {}),
        }));
        bindsInFlight++;
        const sentMs = ctx.clock.now();
        ctx.ask<ApiReply<BindResult>>(api, { type: 'bind', bindings }, { timeoutMs }).then(
          (reply) => {
            ctx.log.debug({ pods: bindings.length, ms: ctx.clock.now() - sentMs, placedMs: sentMs - nowMs, pending: pending.size }, 'bound');
            ctx.self.tell({ type: 'bound', bindings, result: reply.ok ? reply.value : null });
          },
          () => ctx.self.tell({ type: 'bound', bindings, result: null }),
        );
      }
      if (pending.size > 0) kick();
    }

    function onBound(bindings: readonly PodBinding[], result: BindResult | null): void {
      bindsInFlight--;
      bindings.forEach((b, i) => {
        const r = result?.results[i];
        if (r?.ok) return; // the store's change confirms the assumption
        const key = `${b.namespace}/${b.name}`;
        sc.forget(key, b.uid);
        const code = r?.error.code;
        // Gone, bound by someone else, or being deleted: the cache's changes say what is next.
        if (code === 'NOT_FOUND' || code === 'FAILED_PRECONDITION') return;
        const pod = opts.cache.get('Pod', b.namespace, b.name);
        if (pod !== undefined && pod.metadata.uid === b.uid && waitsForNode(pod)) pending.set(key, pod);
        if (r !== undefined) ctx.log.warn({ pod: key, error: r.error }, 'bind failed; scheduling again');
      });
      if (result === null) ctx.log.warn({ pods: bindings.length }, 'a bind request got no answer; scheduling its pods again');
      kick();
      drainStatusQueue();
    }

    return {
      preStart: () => {
        for (const n of opts.cache.list('Node')) sc.upsertNode(n);
        for (const p of opts.cache.list('Pod')) {
          if (p.spec.nodeName !== undefined) sc.upsertPod(p);
          else if (waitsForNode(p)) pending.set(podKeyOf(p), p);
        }
        stopListening = opts.cache.onChange((changes) => {
          // Only what concerns scheduling crosses into the actor.
          const relevant = changes.filter((c) => c.kind === 'Pod' || c.kind === 'Node');
          if (relevant.length > 0) ctx.self.tell({ type: 'changes', changes: relevant });
        });
        ctx.timers.startPeriodic('expire', { type: 'expire' }, 5_000);
        ctx.timers.startPeriodic('retry-unschedulable', { type: 'retry-unschedulable' }, opts.unschedulableRetryMs ?? 60_000);
        ctx.log.info({ nodes: sc.nodeInfos.length, pending: pending.size }, 'scheduler started');
        kick();
      },
      receive: (m: SchedulerMsg) => {
        switch (m.type) {
          case 'changes':
            onChanges(m.changes);
            return;
          case 'schedule':
            cycle();
            return;
          case 'bound':
            onBound(m.bindings, m.result);
            return;
          case 'expire':
            for (const e of sc.expire(ctx.clock.now())) {
              const pod = opts.cache.get('Pod', e.pod.metadata.namespace, e.pod.metadata.name);
              if (pod !== undefined && waitsForNode(pod)) pending.set(e.podKey, pod);
            }
            if (pending.size > 0) kick();
            return;
          case 'status-written':
            statusInFlight--;
            drainStatusQueue();
            return;
          case 'retry-unschedulable':
            if (parked.size === 0) return;
            unpark();
            kick();
            return;
        }
      },
      postStop: () => stopListening(),
    };
  };
}
