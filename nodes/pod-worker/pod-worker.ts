// The pod worker: one actor per pod on a node, the thin driver of the pure
// sync (sync.ts). It keeps what the sync needs (the latest pod, the observed
// containers, back-off, probe states), performs the actions a sync decides,
// runs the probes and reports the status.
//
// Invariant: at most one start/remove/list call for the pod is in flight
// (`busy`), and a sync runs only while none is, so a container is never
// started twice. Stops run beside it, since a grace period may be long and
// must not hold up the deletion of the pod's other containers; a container
// whose stop is in flight is neither stopped again nor started again.

import type { ActorContext, ActorRef, Behavior } from '../../actors/index.js';
import type { Pod, PodStatus } from '../../core/api/index.js';
import { probeSettings, probeTarget, recordProbeOutcome, runProbe, type ProbeKind, type Prober } from '../probes/index.js';
import type { ContainerExit, ContainerInfo, ContainerRuntime } from '../runtime/index.js';
import { DEFAULT_RESTART_BACKOFF, type BackoffEntry, type RestartBackoff } from './backoff.js';
import { PodWorkerError } from './errors.js';
import type { PerformOutcome, PodTerminated, PodWorkerEvent, PodWorkerMessage, PodWorkerMsg, PodWorkerSelfMsg } from './messages.js';
import { mergeListing, observe, withExit } from './observed.js';
import { sameStatus } from './pod-status.js';
import { trackProbes } from './probe-tracker.js';
import { sync } from './sync.js';
import type { ContainerProbes, StartFailure, SyncAction, SyncParams } from './types.js';

export interface PodWorkerOptions {
  /** The pod as the agent first saw it. Must carry metadata.uid. */
  readonly pod: Pod;
  readonly runtime: ContainerRuntime;
  readonly prober: Prober;
  /** The node's name (for logs and events). */
  readonly nodeName: string;
  /** The node's address, reported as status.hostIP. */
  readonly hostIP: string;
  /** Reported as status.podIP. Default 127.0.0.1: both the process and the docker runtime publish ports on loopback. */
  readonly podIP?: string;
  /** Restart back-off; defaults in DEFAULT_RESTART_BACKOFF (1 s doubling to 5 min, reset after 10 min). */
  readonly backoff?: Partial<RestartBackoff>;
  /**
   * Writes the pod's status through the API. A rejection is retried after
   * `reportRetryMs`; only the latest status is ever sent.
   */
  readonly report: (pod: Pod, status: PodStatus) => Promise<void>;
  /** How often the worker lists its containers again and syncs, to catch what it was not told (exits arrive as events; this is the safety net). Default 10,000 ms. */
  readonly resyncIntervalMs?: number;
  /** Wait before sending a status again after `report` failed. Default 1,000 ms. */
  readonly reportRetryMs?: number;
  /** Who is told `pod-terminated`. Default: the worker's parent. */
  readonly parent?: ActorRef<PodTerminated>;
  /** Called for what deserves an Event on the pod (starts, failed starts, kills, failed probes). */
  readonly onEvent?: (event: PodWorkerEvent) => void;
}

/** How long a status report waits for a container start in flight (see sync). */
const REPORT_HOLD_MS = 500;

const probeKey = (containerId: string, kind: ProbeKind) => `${containerId}/${kind}`;

function parseTimeMs(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'FAILED';
}

/**
 * The behaviour of the worker of one pod; spawn one per pod bound to the
 * node. It is typed for what others send it (PodWorkerMsg): its timer ticks
 * and completions (PodWorkerSelfMsg) are its own business.
 */
export function podWorker(opts: PodWorkerOptions): Behavior<PodWorkerMsg> {
  return (ctx: ActorContext<PodWorkerMessage>) => {
    const uid = opts.pod.metadata.uid;
    const namespace = opts.pod.metadata.namespace ?? 'default';
    const name = opts.pod.metadata.name;
    if (uid === undefined) throw new PodWorkerError('POD_WITHOUT_UID', namespace, name, 'the pod has no metadata.uid');
    const params: SyncParams = {
      backoff: { ...DEFAULT_RESTART_BACKOFF, ...opts.backoff },
      hostIP: opts.hostIP,
      podIP: opts.podIP ?? '127.0.0.1',
    };
    const self = ctx.self;
    const tell = (m: PodWorkerSelfMsg) => self.tell(m);

    let pod = opts.pod;
    let gone = false;
    let observed = new Map<string, ContainerInfo>();
    // Exits noticed for containers not yet observed (a start still in flight).
    const earlyExits = new Map<string, ContainerExit>();
    const stopping = new Set<string>();
    let backoff: ReadonlyMap<string, BackoffEntry> = new Map();
    const startFailures = new Map<string, StartFailure>();
    let probes: ReadonlyMap<string, ContainerProbes> = new Map();
    const probesInFlight = new Set<string>();
    const probeTimers = new Map<string, number>();
    const startTimeMs = parseTimeMs(pod.status?.startTime) ?? ctx.clock.now();
    let computed: PodStatus | undefined;
    let reported: PodStatus | undefined = pod.status;
    let reporting = false;
    // A start/remove/list call is in flight; the sync runs when it completes.
    let busy = false;
    let needList = true;
    let listedOnce = false;
    let finished = false;

    const emit = (type: PodWorkerEvent['type'], reason: string, message: string, containerName?: string) => {
      opts.onEvent?.({ type, reason, message, pod, ...(containerName !== undefined ? { containerName } : {}) });
    };

    const maybeReport = () => {
      if (reporting || finished || computed === undefined || sameStatus(computed, reported)) return;
      if (ctx.timers.isActive('report-retry') || ctx.timers.isActive('report-hold')) return;
      reporting = true;
      const status = computed;
      opts.report(pod, status).then(
        () => tell({ type: 'reported', status }),
        (e: unknown) => {
          ctx.log.warn({ err: e, pod: `${namespace}/${name}` }, 'pod status report failed; retrying');
          tell({ type: 'reported', status: null });
        },
      );
    };

    const finish = () => {
      finished = true;
      ctx.timers.cancelAll();
      const parent = opts.parent ?? (ctx.parent as ActorRef<PodTerminated> | null);
      parent?.tell({ type: 'pod-terminated', podUid: uid, namespace, name });
      ctx.log.info({ pod: `${namespace}/${name}`, node: opts.nodeName }, 'pod terminated');
      ctx.stop();
    };

    const beginStop = (a: Extract<SyncAction, { type: 'stop' }>) => {
      stopping.add(a.id);
      emit(a.reason === 'liveness' ? 'Warning' : 'Normal', 'Killing', a.message, a.containerName);
      opts.runtime
        .stop(a.id, a.gracePeriodMs)
        .then(() => opts.runtime.inspect(a.id))
        .then(
          (info) => tell({ type: 'stopped', id: a.id, info, failed: false }),
          (e: unknown) => {
            ctx.log.warn({ err: e, container: a.containerName, id: a.id }, 'stopping a container failed');
            tell({ type: 'stopped', id: a.id, info: undefined, failed: true });
          },
        );
    };

    const perform = async (serial: readonly SyncAction[]): Promise<PerformOutcome> => {
      const started: { containerName: string; info: ContainerInfo }[] = [];
      const failedStarts: PerformOutcome['failedStarts'][number][] = [];
      const removed: string[] = [];
      let relist = false;
      // Starts first: they are what the pod waits for; removals are housekeeping.
      for (const a of serial) {
        if (a.type !== 'start') continue;
        try {
          started.push({ containerName: a.containerName, info: await opts.runtime.start(a.config) });
        } catch (e) {
          if (codeOf(e) === 'ALREADY_EXISTS') relist = true;
          else failedStarts.push({ containerName: a.containerName, attempt: a.attempt, atMs: ctx.clock.now(), code: codeOf(e), message: messageOf(e) });
        }
      }
      for (const a of serial) {
        if (a.type !== 'remove') continue;
        try {
          await opts.runtime.remove(a.id);
          removed.push(a.id);
        } catch (e) {
          if (codeOf(e) === 'NOT_FOUND') removed.push(a.id);
          else ctx.log.warn({ err: e, container: a.containerName, id: a.id }, 'removing a container failed');
        }
      }
      return { started, failedStarts, removed, relist };
    };

    const scheduleProbes = () => {
      const nowMs = ctx.clock.now();
      const live = new Set<string>();
      for (const [id, cp] of probes) {
        for (const kind of ['liveness', 'readiness'] as const) {
          const state = cp[kind];
          if (state === undefined) continue;
          const key = probeKey(id, kind);
          live.add(key);
          if (probesInFlight.has(key) || probeTimers.get(key) === state.nextDueMs) continue;
          ctx.timers.startSingle(`probe:${key}`, { type: 'probe-due', containerId: id, kind }, Math.max(0, state.nextDueMs - nowMs));
          probeTimers.set(key, state.nextDueMs);
        }
      }
      for (const key of [...probeTimers.keys()]) {
        if (live.has(key)) continue;
        ctx.timers.cancel(`probe:${key}`);
        probeTimers.delete(key);
      }
    };

    /** Syncs now, or after the runtime call in flight. */
    const kick = () => {
      if (finished) return;
      if (busy) return;
      if (needList) {
        needList = false;
        busy = true;
        opts.runtime.list({ podUid: uid }).then(
          (own) => tell({ type: 'listed', containers: own }),
          (e: unknown) => {
            ctx.log.warn({ err: e, pod: `${namespace}/${name}` }, 'listing containers failed');
            tell({ type: 'listed', containers: null });
          },
        );
        return;
      }
      const nowMs = ctx.clock.now();
      const containers = [...observed.values()];
      probes = trackProbes(pod, containers, probes, nowMs);
      const previousStatus = computed ?? pod.status;
      const result = sync({
        pod,
        containers,
        stopping,
        backoff,
        startFailures,
        probes,
        gone,
        startTimeMs,
        nowMs,
        params,
        ...(previousStatus !== undefined ? { previousStatus } : {}),
      });
      backoff = result.backoff;
      computed = result.status;
      // A container about to start would make this status stale at once: hold
      // the report until the start is done (at most REPORT_HOLD_MS), so a pod
      // that starts quickly costs one status write, not a ContainerCreating
      // one and then a Running one.
      if (result.actions.some((a) => a.type === 'start') && !ctx.timers.isActive('report-hold')) {
        ctx.timers.startSingle('report-hold', { type: 'report-hold-over' }, REPORT_HOLD_MS);
      }
      maybeReport();
      scheduleProbes();
      let wakeAtMs = Number.POSITIVE_INFINITY;
      const serial: SyncAction[] = [];
      for (const a of result.actions) {
        if (a.type === 'stop') beginStop(a);
        else if (a.type === 'wait') wakeAtMs = Math.min(wakeAtMs, a.untilMs);
        else if (a.type === 'terminated') return finish();
        else serial.push(a);
      }
      if (Number.isFinite(wakeAtMs)) ctx.timers.startSingle('wake', { type: 'wake' }, Math.max(0, wakeAtMs - nowMs));
      else ctx.timers.cancel('wake');
      if (serial.length > 0) {
        busy = true;
        void perform(serial)
          .catch((e: unknown): PerformOutcome => {
            ctx.log.error({ err: e, pod: `${namespace}/${name}` }, 'performing a sync failed');
            return { started: [], failedStarts: [], removed: [], relist: true };
          })
          .then((outcome) => tell({ type: 'performed', outcome }));
      }
    };

    const onPerformed = (o: PerformOutcome) => {
      for (const { containerName, info } of o.started) {
        observed.set(info.id, observe(observed.get(info.id), info, earlyExits));
        earlyExits.delete(info.id);
        startFailures.delete(containerName);
        emit('Normal', 'Started', `Started container ${containerName}`, containerName);
      }
      for (const f of o.failedStarts) {
        const reason = f.code === 'IMAGE_NOT_FOUND' ? 'ImagePullBackOff' : 'RunContainerError';
        startFailures.set(f.containerName, { attempt: f.attempt, atMs: f.atMs, reason, message: f.message });
        emit('Warning', 'Failed', `Error: ${f.message}`, f.containerName);
      }
      for (const id of o.removed) observed.delete(id);
      if (o.relist) needList = true;
    };

    const onProbeDue = (containerId: string, kind: ProbeKind) => {
      const key = probeKey(containerId, kind);
      probeTimers.delete(key);
      const cp = probes.get(containerId);
      const state = cp?.[kind];
      const info = observed.get(containerId);
      const spec = pod.spec.containers.find((c) => c.name === cp?.containerName);
      const probe = kind === 'liveness' ? spec?.livenessProbe : spec?.readinessProbe;
      if (cp === undefined || state === undefined || spec === undefined || probe === undefined) return;
      const settings = probeSettings(probe, kind);
      if (info?.state !== 'running' || stopping.has(containerId)) {
        // Not worth probing (being killed, or exited and not yet synced): skip a period.
        probes = new Map(probes).set(containerId, { ...cp, [kind]: { ...state, nextDueMs: ctx.clock.now() + settings.periodMs } });
        return scheduleProbes();
      }
      probesInFlight.add(key);
      const timeoutMs = settings.timeoutMs;
      void runProbe(opts.prober, probeTarget(probe, spec, info, params.podIP), info, timeoutMs).then((outcome) =>
        tell({ type: 'probe-result', containerId, kind, outcome }),
      );
    };

    const onProbeResult = (m: Extract<PodWorkerSelfMsg, { type: 'probe-result' }>) => {
      probesInFlight.delete(probeKey(m.containerId, m.kind));
      const cp = probes.get(m.containerId);
      const state = cp?.[m.kind];
      const spec = pod.spec.containers.find((c) => c.name === cp?.containerName);
      const probe = m.kind === 'liveness' ? spec?.livenessProbe : spec?.readinessProbe;
      if (cp === undefined || state === undefined || probe === undefined) return;
      const step = recordProbeOutcome(state, probeSettings(probe, m.kind), m.outcome, ctx.clock.now());
      probes = new Map(probes).set(m.containerId, m.kind === 'liveness' ? { ...cp, liveness: step.state } : { ...cp, readiness: step.state });
      if (m.outcome.result === 'failure') {
        const what = m.kind === 'liveness' ? 'Liveness' : 'Readiness';
        emit('Warning', 'Unhealthy', `${what} probe failed: ${m.outcome.message}`, cp.containerName);
      }
      if (step.changed) kick();
      scheduleProbes();
    };

    ctx.timers.startPeriodic('resync', { type: 'resync' }, opts.resyncIntervalMs ?? 10_000);
    kick();

    return (m: PodWorkerMessage): void => {
      if (finished) return;
      switch (m.type) {
        case 'pod':
          if (m.pod.metadata.uid !== uid) {
            ctx.log.warn({ pod: `${namespace}/${name}`, uid, got: m.pod.metadata.uid }, 'ignoring a pod with another uid');
            return;
          }
          pod = m.pod;
          return kick();
        case 'pod-gone':
          gone = true;
          return kick();
        case 'container-exited': {
          if (m.exit.podUid !== uid) return;
          const known = observed.get(m.exit.id);
          if (known !== undefined) observed.set(m.exit.id, withExit(known, m.exit));
          else earlyExits.set(m.exit.id, m.exit);
          return kick();
        }
        case 'resync':
          needList = true;
          return kick();
        case 'wake':
          return kick();
        case 'listed':
          busy = false;
          if (m.containers !== null) {
            observed = mergeListing(observed, m.containers, earlyExits);
            for (const id of [...earlyExits.keys()]) if (!observed.has(id)) earlyExits.delete(id);
            listedOnce = true;
          }
          // Until one listing succeeds the worker cannot tell adoption from a
          // fresh start: it lists again on the next event or resync rather
          // than guess.
          if (listedOnce) kick();
          else needList = true;
          return;
        case 'performed':
          busy = false;
          ctx.timers.cancel('report-hold');
          onPerformed(m.outcome);
          return kick();
        case 'stopped':
          stopping.delete(m.id);
          if (m.info !== undefined) observed.set(m.id, observe(observed.get(m.id), m.info, earlyExits));
          else if (!m.failed) observed.delete(m.id);
          // A failed stop is tried again on the next resync, not at once in a loop.
          if (!m.failed) kick();
          return;
        case 'probe-due':
          return onProbeDue(m.containerId, m.kind);
        case 'probe-result':
          return onProbeResult(m);
        case 'reported':
          reporting = false;
          if (m.status !== null) reported = m.status;
          else ctx.timers.startSingle('report-retry', { type: 'report-retry' }, opts.reportRetryMs ?? 1_000);
          return maybeReport();
        case 'report-retry':
        case 'report-hold-over':
          return maybeReport();
      }
    };
  };
}
