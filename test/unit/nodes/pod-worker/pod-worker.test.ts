import { describe, expect, it } from 'vitest';
import { Simulation, type ActorContext } from '../../../../actors/index.js';
import type { Pod, PodStatus } from '../../../../core/api/index.js';
import { podWorker, type PodTerminated, type PodWorkerEvent, type PodWorkerOptions } from '../../../../nodes/pod-worker/index.js';
import { HollowProber, RealProber } from '../../../../nodes/probes/index.js';
import { FakeRuntime } from './fake-runtime.js';
import { container, pod, UID } from './fixtures.js';

interface Harness {
  readonly sim: Simulation;
  readonly runtime: FakeRuntime;
  readonly reports: { atMs: number; status: PodStatus }[];
  readonly terminated: PodTerminated[];
  readonly events: PodWorkerEvent[];
  tell(m: Parameters<ReturnType<typeof spawnWorker>['tell']>[0]): void;
  /** Virtual ms since the worker started. */
  now(): number;
}

function spawnWorker(h: { sim: Simulation; system: Awaited<ReturnType<Simulation['system']>> }, opts: PodWorkerOptions) {
  return h.system.spawn(podWorker(opts), `pod-${UID}`);
}

async function start(
  p: Pod,
  setup: (runtime: FakeRuntime) => void = () => undefined,
  extra: Partial<PodWorkerOptions> & { failReports?: number; realProber?: boolean } = {},
): Promise<Harness> {
  const sim = new Simulation({ seed: 7 });
  const system = await sim.system('node-1');
  const runtime = new FakeRuntime(sim.clock);
  setup(runtime);
  const t0 = sim.clock.now();
  const reports: Harness['reports'] = [];
  const terminated: PodTerminated[] = [];
  const events: PodWorkerEvent[] = [];
  const { failReports, realProber, ...options } = extra;
  let failures = failReports ?? 0;
  const agent = system.spawn((_ctx: ActorContext<PodTerminated>) => (m: PodTerminated) => void terminated.push(m), 'agent');
  const worker = spawnWorker(
    { sim, system },
    {
      pod: p,
      runtime,
      // The real prober's exec goes through the fake runtime; TCP and HTTP would leave the simulation.
      prober: realProber === true ? new RealProber({ runtime, clock: sim.clock }) : new HollowProber(),
      nodeName: 'n1',
      hostIP: '10.0.0.7',
      report: (_pod, status) => {
        if (failures > 0) {
          failures--;
          return Promise.reject(new Error('api unavailable'));
        }
        reports.push({ atMs: sim.clock.now() - t0, status });
        return Promise.resolve();
      },
      parent: agent,
      onEvent: (e) => events.push(e),
      ...options,
    },
  );
  // The agent's part: forward the runtime's exit notices.
  runtime.onExit((exit) => worker.tell({ type: 'container-exited', exit }));
  return { sim, runtime, reports, terminated, events, tell: (m) => worker.tell(m), now: () => sim.clock.now() - t0 };
}

const lastStatus = (h: Harness) => h.reports.at(-1)?.status;
const startTimes = (h: Harness, name = 'web') => h.runtime.calls.filter((c) => c.op === 'start' && c.containerName === name).map((c) => c.atMs - h.runtime.calls[0]!.atMs);
const deleting = (p: Pod, graceSeconds: number): Pod => ({
  ...p,
  metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:10.000Z', deletionGracePeriodSeconds: graceSeconds } as Pod['metadata'],
});

describe('pod worker: starting', () => {
  it('takes a pod to Running with one status report when the container starts at once', async () => {
    const h = await start(pod());
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 5_000)).toBe(true);
    // The ContainerCreating status was held while the start ran, then overtaken.
    expect(h.reports.map((r) => r.status.phase)).toEqual(['Running']);
    const running = h.runtime.running('web');
    expect(running).toHaveLength(1);
    expect(lastStatus(h)).toMatchObject({
      hostIP: '10.0.0.7',
      podIP: '127.0.0.1',
      conditions: [{ type: 'PodScheduled' }, { type: 'Initialized' }, { type: 'ContainersReady', status: 'True' }, { type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'web', containerID: running[0]!.containerID, ready: true, started: true, restartCount: 0 }],
    });
    expect(h.events.map((e) => e.reason)).toEqual(['Started']);
    // Nothing changes: no more reports, however many resyncs.
    await h.sim.runFor(30_000);
    expect(h.reports).toHaveLength(1);
    expect(h.runtime.calls.filter((c) => c.op === 'start')).toHaveLength(1);
  });

  it('reports Pending with ContainerCreating when a start takes longer than the hold, then Running', async () => {
    const h = await start(pod(), (rt) => (rt.startDelayMs = 2_000));
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 10_000)).toBe(true);
    expect(h.reports.map((r) => r.status.phase)).toEqual(['Pending', 'Running']);
    expect(h.reports[0]?.status.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(h.reports[0]?.atMs).toBe(500);
  });

  it('retries a failed status report after reportRetryMs', async () => {
    const h = await start(pod(), undefined, { failReports: 2, reportRetryMs: 500 });
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 5_000)).toBe(true);
    // Two failures, each followed by a 500 ms wait; only the latest status is sent.
    expect(h.reports).toHaveLength(1);
    expect(h.reports[0]?.atMs).toBe(1_000);
  });

  it('starts one container at a time, each exactly once, while events keep arriving', async () => {
    const p = pod({ containers: [container('web'), container('db'), container('cache')] });
    const h = await start(p, (rt) => (rt.startDelayMs = 400), { resyncIntervalMs: 100 });
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 10_000)).toBe(true);
    await h.sim.runFor(5_000);
    expect(h.runtime.maxStartsInFlight).toBe(1);
    expect(h.runtime.calls.filter((c) => c.op === 'start').map((c) => `${c.containerName}:${c.attempt}`)).toEqual(['web:0', 'db:0', 'cache:0']);
    expect(h.runtime.running()).toHaveLength(3);
  });

  it('backs off failed starts, then starts the same attempt', async () => {
    const h = await start(pod(), (rt) => rt.failStarts('web', 2));
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 10_000)).toBe(true);
    expect(startTimes(h)).toEqual([0, 1_000, 3_000]);
    expect(h.runtime.calls.filter((c) => c.op === 'start').map((c) => c.attempt)).toEqual([0, 0, 0]);
    expect(h.reports.some((r) => r.status.containerStatuses?.[0]?.state?.waiting?.reason === 'RunContainerError')).toBe(true);
    expect(h.events.filter((e) => e.reason === 'Failed')).toHaveLength(2);
  });
});

describe('pod worker: restarts', () => {
  it('restarts a crashing container with growing back-off on the virtual clock', async () => {
    const h = await start(pod(), (rt) => rt.behave('web', { runMs: 100, exitCode: 1 }));
    await h.sim.runFor(40_000);
    const starts = startTimes(h);
    const waits = starts.slice(1).map((t, i) => t - starts[i]! - 100);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(h.runtime.calls.filter((c) => c.op === 'start').map((c) => c.attempt)).toEqual([0, 1, 2, 3, 4, 5]);
    const web = lastStatus(h)?.containerStatuses?.[0];
    expect(web).toMatchObject({ restartCount: 5, ready: false, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 32s restarting failed container=web pod=default/web-abc' } } });
    expect(web?.lastState?.terminated?.exitCode).toBe(1);
    // Only the latest exited attempt and the one before it are kept.
    expect(h.runtime.all().map((c) => c.attempt).sort()).toEqual([4, 5]);
    expect(h.runtime.maxStartsInFlight).toBe(1);
  });

  it('does not restart under OnFailure once the container succeeds, and ends Succeeded', async () => {
    const h = await start(pod({ restartPolicy: 'OnFailure' }), (rt) => rt.behave('web', { runMs: 1_000, exitCode: 0 }));
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Succeeded', 10_000)).toBe(true);
    await h.sim.runFor(20_000);
    expect(startTimes(h)).toEqual([0]);
    expect(lastStatus(h)?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('kills a container whose liveness probe fails and restarts it, counting the restart', async () => {
    let healthy = true;
    const p = pod({
      terminationGracePeriodSeconds: 3,
      containers: [container('web', { livenessProbe: { exec: { command: ['check'] }, periodSeconds: 1, failureThreshold: 2 } })],
    });
    const h = await start(
      p,
      (rt) => {
        rt.behave('web', { onTerm: 'ignore' });
        rt.execHandler = () => ({ exitCode: healthy ? 0 : 1, output: healthy ? '' : 'unhealthy', timedOut: false });
      },
      { realProber: true },
    );
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 5_000)).toBe(true);
    await h.sim.runFor(5_000);
    expect(h.runtime.calls.filter((c) => c.op === 'stop')).toEqual([]);
    healthy = false;
    const sickAtMs = h.now();
    expect(await h.sim.runUntil(() => h.runtime.calls.some((c) => c.op === 'stop'), 10_000)).toBe(true);
    const stop = h.runtime.calls.find((c) => c.op === 'stop');
    expect(stop?.gracePeriodMs).toBe(3_000);
    expect(await h.sim.runUntil(() => h.runtime.running('web').some((c) => c.attempt === 1), 20_000)).toBe(true);
    healthy = true;
    // Two failures a period apart, then SIGTERM ignored for 3 s, then 1 s of back-off.
    // Failures at +1 s and +2 s (the probe at +0 s ran before the switch), then
    // SIGTERM ignored for the 3 s grace, then 1 s of back-off.
    expect(startTimes(h)[1]! - sickAtMs).toBe(6_000);
    // A container being killed is not probed any more.
    const stopAtMs = stop!.atMs;
    expect(h.runtime.calls.filter((c) => c.op === 'exec' && c.id === stop?.id && c.atMs > stopAtMs)).toEqual([]);
    expect(h.events.filter((e) => e.reason === 'Unhealthy').map((e) => e.message)).toEqual([
      'Liveness probe failed: command ["check"] exited with 1: unhealthy',
      'Liveness probe failed: command ["check"] exited with 1: unhealthy',
    ]);
    expect(h.events.find((e) => e.reason === 'Killing')?.message).toBe('Container web failed liveness probe, will be restarted');
    await h.sim.runFor(1_000);
    expect(lastStatus(h)?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137, signal: 9 } } });
  });
});

describe('pod worker: readiness', () => {
  it('reports the container ready only after successThreshold passing probes', async () => {
    const p = pod({ containers: [container('web', { readinessProbe: { exec: { command: ['ready'] }, initialDelaySeconds: 2, periodSeconds: 1, successThreshold: 2 } })] });
    const h = await start(p);
    await h.sim.runFor(10_000);
    const ready = h.reports.map((r) => [r.status.phase, r.status.containerStatuses?.[0]?.ready, r.atMs]);
    // Running unready at once (the start is quick), ready after probes at 2 s and 3 s.
    expect(ready).toEqual([
      ['Running', false, 0],
      ['Running', true, 3_000],
    ]);
    expect(lastStatus(h)?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});

describe('pod worker: deletion', () => {
  it('stops the containers with the grace period, removes them and reports pod-terminated', async () => {
    const h = await start(pod({ containers: [container('web'), container('db')] }), (rt) => {
      rt.behave('web', { onTerm: 'ignore' });
      rt.behave('db', { onTerm: 'exit' });
    });
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 5_000)).toBe(true);
    const deletedAtMs = h.now();
    h.tell({ type: 'pod', pod: deleting(pod({ containers: [container('web'), container('db')] }), 5) });
    expect(await h.sim.runUntil(() => h.terminated.length > 0, 60_000)).toBe(true);
    expect(h.terminated).toEqual([{ type: 'pod-terminated', podUid: UID, namespace: 'default', name: 'web-abc' }]);
    // web ignored SIGTERM: killed when its 5 s ran out.
    expect(h.now() - deletedAtMs).toBe(5_000);
    expect(h.runtime.calls.filter((c) => c.op === 'stop').map((c) => [c.containerName, c.gracePeriodMs])).toEqual([
      ['web', 5_000],
      ['db', 5_000],
    ]);
    expect(h.runtime.all()).toEqual([]);
    // The worker is gone: no more runtime calls.
    const calls = h.runtime.calls.length;
    await h.sim.runFor(20_000);
    expect(h.runtime.calls.length).toBe(calls);
    expect(h.sim.clock.pendingTimers()).toBe(0);
  });

  it('stops everything at once on pod-gone, with the grace the pod had', async () => {
    const h = await start(pod({ terminationGracePeriodSeconds: 2 }), (rt) => rt.behave('web', { onTerm: 'ignore' }));
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 5_000)).toBe(true);
    const goneAtMs = h.now();
    h.tell({ type: 'pod-gone' });
    expect(await h.sim.runUntil(() => h.terminated.length > 0, 60_000)).toBe(true);
    expect(h.now() - goneAtMs).toBe(2_000);
    expect(h.runtime.all()).toEqual([]);
  });

  it('does not restart a container that exits while the pod is being deleted', async () => {
    const h = await start(pod(), (rt) => rt.behave('web', { onTerm: 'exit', termExitCode: 1 }));
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Running', 5_000)).toBe(true);
    h.tell({ type: 'pod', pod: deleting(pod(), 30) });
    expect(await h.sim.runUntil(() => h.terminated.length > 0, 60_000)).toBe(true);
    expect(startTimes(h)).toEqual([0]);
  });
});

describe('pod worker: adoption and deadline', () => {
  it('adopts a running container found at start instead of starting a new one', async () => {
    let adopted: string | undefined;
    let previous: string | undefined;
    const h = await start(pod(), (rt) => {
      const base = { podUid: UID, podNamespace: 'default', podName: 'web-abc', containerName: 'web', image: 'drover/web:1' };
      rt.seed({ ...base, attempt: 0, state: 'exited', exitCode: 1, startedAtMs: 0, finishedAtMs: 1 });
      previous = rt.seed({ ...base, attempt: 1, state: 'exited', exitCode: 2, startedAtMs: 2, finishedAtMs: 3 }).containerID;
      adopted = rt.seed({ ...base, attempt: 2, state: 'running', startedAtMs: 4 }).containerID;
      // Another pod's container is none of this worker's business.
      rt.seed({ ...base, podUid: 'other', attempt: 0, state: 'running', startedAtMs: 4 });
    });
    await h.sim.runFor(5_000);
    expect(h.runtime.calls.filter((c) => c.op === 'start')).toEqual([]);
    expect(h.reports).toHaveLength(1);
    expect(lastStatus(h)?.phase).toBe('Running');
    expect(lastStatus(h)?.containerStatuses?.[0]).toMatchObject({ containerID: adopted, restartCount: 2, lastState: { terminated: { exitCode: 2, containerID: previous } } });
    // The oldest exited attempt is removed; the other pod's container is left alone.
    expect(h.runtime.all().map((c) => `${c.podUid === UID ? 'mine' : 'other'}:${c.attempt}:${c.state}`).sort()).toEqual(['mine:1:exited', 'mine:2:running', 'other:0:running']);
  });

  it('stops the pod at activeDeadlineSeconds and marks it Failed with DeadlineExceeded', async () => {
    const h = await start(pod({ activeDeadlineSeconds: 5 }));
    expect(await h.sim.runUntil(() => lastStatus(h)?.phase === 'Failed', 10_000)).toBe(true);
    expect(lastStatus(h)).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(h.runtime.calls.find((c) => c.op === 'stop')?.atMs).toBe(h.runtime.calls[0]!.atMs + 5_000);
    await h.sim.runFor(20_000);
    expect(startTimes(h)).toEqual([0]);
  });
});

describe('pod worker: the simulation is deterministic', () => {
  it('gives the same reports for the same run', async () => {
    const run = async () => {
      const h = await start(pod(), (rt) => rt.behave('web', { runMs: 300, exitCode: 1 }));
      await h.sim.runFor(20_000);
      return JSON.stringify(h.reports);
    };
    expect(await run()).toBe(await run());
  });
});
