import type { ActorContext, ActorRef, Random } from '../../actors/index.js';
import type { CacheChange, ObjectCache } from '../cache/index.js';
import type { ReconcileResult } from '../controllers/index.js';
import type { ApiReply, ApiRequest } from '../master/index.js';
import { describeAction, perform, requestOf } from './perform.js';
import { EventBudget } from './event-budget.js';
import { WorkQueue } from './work-queue.js';

/** A controller as the driver runs it: which keys a change touches, and the pure reconcile of one key. */
export interface ControllerDefinition {
  /** E.g. `replicaset-controller`: the Events' source and the logs' name. */
  readonly name: string;
  /** The keys to reconcile after `change` (e.g. a pod's change touches its ReplicaSet's key). */
  keysOf(change: CacheChange, cache: ObjectCache): Iterable<string>;
  /** Every key, for the start and the periodic resync. */
  allKeys(cache: ObjectCache): Iterable<string>;
  /** What to do for `key` now; null: nothing (the key's object is gone). */
  reconcile(key: string, cache: ObjectCache, nowMs: number, newSuffix: () => string): ReconcileResult | null;
}

export interface ControllerDriverOptions {
  readonly cache: ObjectCache;
  /** The local API actor. */
  readonly apiPath: string;
  /** Keys reconciled at once. Default 16. */
  readonly concurrency?: number;
  /** Every key is reconciled again this often. Default 30 s. */
  readonly resyncMs?: number;
  /** Per API request. Default 5 s. */
  readonly requestTimeoutMs?: number;
  /** Events written per second at most (the rest are logged only). Default 50. */
  readonly eventsPerSecondMax?: number;
}

type DriverMsg =
  | { readonly type: 'changed'; readonly keys: readonly string[] }
  | { readonly type: 'work' }
  | { readonly type: 'requeue'; readonly key: string }
  | { readonly type: 'resync' }
  | { readonly type: 'finished'; readonly key: string; readonly requeueAfterMs?: number; readonly failed: boolean };

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 10_000;

/** Five letters and digits, as Kubernetes' generated names (no vowels: no words). */
export function nameSuffix(random: Random, length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += SUFFIX_ALPHABET[random.int(SUFFIX_ALPHABET.length)];
  return s;
}

/**
 * Runs one controller on the leader: hears the cache's changes, keeps the
 * keys to reconcile in a work queue (one key never twice at once), calls the
 * pure reconcile with the cache's current view, and performs its actions in
 * order through the local API actor. A conflict (someone else wrote first)
 * reconciles the key again at once from the fresh view; a failure retries it
 * with exponential back-off. The cache is current with the controller's own
 * writes when the API answers them, because the leader answers only once its
 * store applied the write.
 */
export function controllerActor(def: ControllerDefinition, opts: ControllerDriverOptions) {
  return (ctx: ActorContext<DriverMsg>) => {
    const queue = new WorkQueue();
    const concurrency = opts.concurrency ?? 16;
    const timeoutMs = opts.requestTimeoutMs ?? 5_000;
    const api = ctx.resolve<ApiRequest>(opts.apiPath);
    const ask = (req: ApiRequest) => ctx.ask<ApiReply>(api, req, { timeoutMs });
    const failures = new Map<string, number>();
    const events = new EventBudget(opts.eventsPerSecondMax ?? 50, () => ctx.clock.now());
    const newSuffix = () => nameSuffix(ctx.random);
    let workScheduled = false;

    const unsubscribe = opts.cache.onChange((changes) => {
      const keys = new Set<string>();
      for (const c of changes) for (const k of def.keysOf(c, opts.cache)) keys.add(k);
      if (keys.size > 0) ctx.self.tell({ type: 'changed', keys: [...keys] });
    });

    function scheduleWork(): void {
      if (workScheduled) return;
      workScheduled = true;
      ctx.self.tell({ type: 'work' });
    }

    async function run(key: string): Promise<{ requeueAfterMs?: number; failed: boolean }> {
      const nowMs = ctx.clock.now();
      const result = def.reconcile(key, opts.cache, nowMs, newSuffix);
      if (result === null) return { failed: false };
      const nowIso = new Date(nowMs).toISOString();
      for (const action of result.actions) {
        if (action.type === 'event' && !events.take()) {
          ctx.log.info({ key, reason: action.reason, message: action.message }, 'event (not written: over the events budget)');
          continue;
        }
        const outcome = await perform(ask, requestOf(action, newSuffix, nowIso, def.name));
        if (outcome.type === 'done') continue;
        if (action.type === 'event') continue; // an event that could not be written is no reason to stop
        if (outcome.type === 'conflict') {
          ctx.log.debug({ key, action: describeAction(action), code: outcome.error.code }, 'conflict; reconciling again');
          return { requeueAfterMs: 0, failed: false };
        }
        ctx.log.warn({ key, action: describeAction(action), err: outcome.error }, 'action failed; retrying with back-off');
        return { failed: true };
      }
      return result.requeueAfterMs !== undefined ? { requeueAfterMs: result.requeueAfterMs, failed: false } : { failed: false };
    }

    function work(): void {
      workScheduled = false;
      const free = concurrency - queue.inFlightCount;
      for (const key of queue.take(free)) {
        run(key).then(
          (r) => ctx.self.tell({ type: 'finished', key, failed: r.failed, ...(r.requeueAfterMs !== undefined ? { requeueAfterMs: r.requeueAfterMs } : {}) }),
          (e: unknown) => {
            ctx.log.error({ key, err: e }, 'reconcile threw');
            ctx.self.tell({ type: 'finished', key, failed: true });
          },
        );
      }
    }

    return {
      preStart: () => {
        for (const k of def.allKeys(opts.cache)) queue.add(k);
        scheduleWork();
        ctx.timers.startPeriodic('resync', { type: 'resync' }, opts.resyncMs ?? 30_000);
        ctx.log.info({ controller: def.name }, 'controller started');
      },
      receive: (m: DriverMsg) => {
        switch (m.type) {
          case 'changed':
            for (const k of m.keys) queue.add(k);
            scheduleWork();
            return;
          case 'requeue':
            queue.add(m.key);
            scheduleWork();
            return;
          case 'resync':
            for (const k of def.allKeys(opts.cache)) queue.add(k);
            scheduleWork();
            return;
          case 'work':
            work();
            return;
          case 'finished': {
            queue.done(m.key);
            if (m.failed) {
              const n = (failures.get(m.key) ?? 0) + 1;
              failures.set(m.key, n);
              ctx.timers.startSingle(`requeue:${m.key}`, { type: 'requeue', key: m.key }, Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (n - 1)));
            } else {
              failures.delete(m.key);
              if (m.requeueAfterMs === 0) queue.add(m.key);
              else if (m.requeueAfterMs !== undefined) ctx.timers.startSingle(`requeue:${m.key}`, { type: 'requeue', key: m.key }, m.requeueAfterMs);
            }
            scheduleWork();
            return;
          }
        }
      },
      postStop: () => unsubscribe(),
    };
  };
}

export type ControllerRef = ActorRef<DriverMsg>;
