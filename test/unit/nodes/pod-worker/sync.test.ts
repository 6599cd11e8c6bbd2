import { describe, expect, it } from 'vitest';
import type { PodStatus, RestartPolicy } from '../../../../core/api/index.js';
import { sync, type BackoffEntry, type SyncAction, type SyncInput } from '../../../../nodes/pod-worker/index.js';
import { initialProbeState, probeSettings } from '../../../../nodes/probes/index.js';
import type { ContainerInfo } from '../../../../nodes/runtime/index.js';
import { container, exited, info, input, pod, T0 } from './fixtures.js';

const kinds = (actions: readonly SyncAction[]) => actions.map((a) => a.type);
const starts = (actions: readonly SyncAction[]) => actions.filter((a) => a.type === 'start');
const iso = (ms: number) => new Date(ms).toISOString();

describe('sync: starting a pod', () => {
  it('starts every container at attempt 0 and reports Pending with ContainerCreating', () => {
    const p = pod({ containers: [container('web'), container('db')] });
    const r = sync(input(p));
    expect(starts(r.actions).map((a) => [a.containerName, a.attempt])).toEqual([
      ['web', 0],
      ['db', 0],
    ]);
    const web = starts(r.actions)[0]!;
    expect(web.config).toMatchObject({ podUid: p.metadata.uid, podNamespace: 'default', podName: 'web-abc', containerName: 'web', attempt: 0, image: 'drover/web:1' });
    expect(r.status.phase).toBe('Pending');
    expect(r.status.containerStatuses?.map((c) => c.state)).toEqual([{ waiting: { reason: 'ContainerCreating' } }, { waiting: { reason: 'ContainerCreating' } }]);
  });

  it('builds the container config from the spec: env, ports, limits in canonical units', () => {
    const p = pod({
      containers: [
        container('web', {
          command: ['node'],
          args: ['server.js'],
          env: [{ name: 'A', value: '1' }, { name: 'EMPTY' }],
          workingDir: '/srv',
          ports: [{ containerPort: 8080, hostPort: 18080 }, { containerPort: 53, protocol: 'UDP' }],
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
        }),
      ],
    });
    const [start] = starts(sync(input(p)).actions);
    expect(start?.config).toEqual({
      podUid: p.metadata.uid,
      podNamespace: 'default',
      podName: 'web-abc',
      containerName: 'web',
      attempt: 0,
      image: 'drover/web:1',
      command: ['node'],
      args: ['server.js'],
      env: { DROVER_POD_NAME: 'web-abc', DROVER_POD_NAMESPACE: 'default', DROVER_POD_UID: p.metadata.uid, DROVER_NODE_NAME: p.spec.nodeName ?? '', A: '1', EMPTY: '' },
      workingDir: '/srv',
      ports: [
        { containerPort: 8080, hostPort: 18080, protocol: 'TCP' },
        { containerPort: 53, protocol: 'UDP' },
      ],
      limits: { cpuMillis: 500, memoryBytes: 128 * 1024 * 1024 },
    });
  });

  it('stays Pending until every container has started once, then Running', () => {
    const p = pod({ containers: [container('web'), container('db')] });
    const web = info('web', 0);
    const half = sync(input(p, { containers: [web] }));
    expect(half.status.phase).toBe('Pending');
    expect(starts(half.actions).map((a) => a.containerName)).toEqual(['db']);
    const both = sync(input(p, { containers: [web, info('db', 0)] }));
    expect(both.status.phase).toBe('Running');
    expect(both.actions).toEqual([]);
  });

  it('adopts a running attempt: no start, and its attempt is the restart count', () => {
    const r = sync(input(pod(), { containers: [info('web', 3, { startedAtMs: T0 - 60_000 })] }));
    expect(r.actions).toEqual([]);
    expect(r.status.containerStatuses?.[0]).toMatchObject({ restartCount: 3, started: true, ready: true, state: { running: { startedAt: iso(T0 - 60_000) } } });
  });
});

describe('sync: restart policies', () => {
  // One attempt that ran 5 s and exited; the sync runs once its 1 s back-off is over.
  const table: [RestartPolicy, number, boolean, PodStatus['phase']][] = [
    ['Always', 0, true, 'Running'],
    ['Always', 1, true, 'Running'],
    ['Always', 137, true, 'Running'],
    ['OnFailure', 0, false, 'Succeeded'],
    ['OnFailure', 1, true, 'Running'],
    ['OnFailure', 137, true, 'Running'],
    ['Never', 0, false, 'Succeeded'],
    ['Never', 1, false, 'Failed'],
    ['Never', 137, false, 'Failed'],
  ];
  it.each(table)('%s, exit %i: restart %s, phase %s', (restartPolicy, exitCode, restarts, phase) => {
    const last = exited('web', 0, exitCode, T0, T0 + 5_000);
    const r = sync(input(pod({ restartPolicy }), { containers: [last], nowMs: T0 + 6_000 }));
    expect(starts(r.actions).map((a) => a.attempt)).toEqual(restarts ? [1] : []);
    expect(r.status.phase).toBe(phase);
    const status = r.status.containerStatuses?.[0];
    if (restarts) {
      expect(status?.state?.waiting?.reason).toBe('CrashLoopBackOff');
      expect(status?.lastState?.terminated).toMatchObject({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' });
    } else {
      expect(status?.state?.terminated).toEqual({
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: iso(T0),
        finishedAt: iso(T0 + 5_000),
        containerID: last.containerID,
      });
      expect(status?.lastState).toBeUndefined();
    }
  });

  it('counts a signal without an exit code as 128 + signal (a failure)', () => {
    const killed = exited('web', 0, 0, T0, T0 + 1_000, { signal: 9 });
    const { exitCode: _drop, ...noCode } = killed;
    const r = sync(input(pod({ restartPolicy: 'Never' }), { containers: [noCode] }));
    expect(r.status.phase).toBe('Failed');
    expect(r.status.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, signal: 9, reason: 'Error' });
  });

  it('ends Succeeded only when every container exited 0, Failed when one did not', () => {
    const p = pod({ restartPolicy: 'Never', containers: [container('a'), container('b')] });
    const ok = sync(input(p, { containers: [exited('a', 0, 0, T0, T0 + 1), exited('b', 0, 0, T0, T0 + 2)] }));
    expect(ok.status.phase).toBe('Succeeded');
    const bad = sync(input(p, { containers: [exited('a', 0, 0, T0, T0 + 1), exited('b', 0, 2, T0, T0 + 2)] }));
    expect(bad.status.phase).toBe('Failed');
    const oneRuns = sync(input(p, { containers: [exited('a', 0, 1, T0, T0 + 1), info('b', 0)] }));
    expect(oneRuns.status.phase).toBe('Running');
  });
});

describe('sync: back-off', () => {
  /** Crashes the container `n` times, each attempt running `ranMs`, restarting as soon as allowed; returns each wait. */
  function crashLoop(n: number, ranMs: (attempt: number) => number) {
    const p = pod();
    let backoff: ReadonlyMap<string, BackoffEntry> = new Map();
    let startedAtMs = T0;
    const waits: { delayMs: number; message: string | undefined }[] = [];
    for (let attempt = 0; attempt < n; attempt++) {
      const finishedAtMs = startedAtMs + ranMs(attempt);
      const containers = [exited('web', attempt, 1, startedAtMs, finishedAtMs)];
      const first = sync(input(p, { containers, backoff, nowMs: finishedAtMs }));
      const wait = first.actions.find((a) => a.type === 'wait');
      expect(wait?.type).toBe('wait');
      const untilMs = wait?.type === 'wait' ? wait.untilMs : 0;
      waits.push({ delayMs: untilMs - finishedAtMs, message: first.status.containerStatuses?.[0]?.state?.waiting?.message });
      // Just before the back-off ends: still waiting, same entry; at its end: the restart.
      const early = sync(input(p, { containers, backoff: first.backoff, nowMs: untilMs - 1, previousStatus: first.status }));
      expect(kinds(early.actions)).toEqual(['wait']);
      const due = sync(input(p, { containers, backoff: early.backoff, nowMs: untilMs, previousStatus: early.status }));
      expect(starts(due.actions).map((a) => a.attempt)).toEqual([attempt + 1]);
      expect(due.status).toEqual(first.status);
      backoff = due.backoff;
      startedAtMs = untilMs;
    }
    return waits;
  }

  it('doubles from 1 s to the 5 min cap, with the CrashLoopBackOff message', () => {
    const waits = crashLoop(11, () => 100);
    expect(waits.map((w) => w.delayMs)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map((s) => s * 1_000));
    expect(waits[2]?.message).toBe('back-off 4s restarting failed container=web pod=default/web-abc');
    expect(waits[6]?.message).toBe('back-off 1m4s restarting failed container=web pod=default/web-abc');
    expect(waits[10]?.message).toBe('back-off 5m0s restarting failed container=web pod=default/web-abc');
  });

  it('resets to 1 s after an attempt that ran 10 min without trouble', () => {
    const waits = crashLoop(6, (attempt) => (attempt === 3 ? 600_000 : 100));
    expect(waits.map((w) => w.delayMs / 1_000)).toEqual([1, 2, 4, 1, 2, 4]);
  });

  it('uses the parameters it is given', () => {
    const last = exited('web', 0, 1, T0, T0 + 10);
    const r = sync(input(pod(), { containers: [last], nowMs: T0 + 10, params: { ...input(pod()).params, backoff: { initialMs: 250, maxMs: 400, resetAfterMs: 1_000 } } }));
    expect(r.actions).toEqual([{ type: 'wait', untilMs: T0 + 260, reason: 'backoff' }]);
    expect(r.status.containerStatuses?.[0]?.state?.waiting?.message).toBe('back-off 250ms restarting failed container=web pod=default/web-abc');
  });

  it('backs off failed starts too, retrying the same attempt, and shows why it waits', () => {
    const failure = { attempt: 0, atMs: T0, reason: 'RunContainerError', message: 'exec: "web": not found' };
    const r = sync(input(pod(), { startFailures: new Map([['web', failure]]), nowMs: T0 + 500 }));
    expect(r.actions).toEqual([{ type: 'wait', untilMs: T0 + 1_000, reason: 'backoff' }]);
    expect(r.status.phase).toBe('Pending');
    expect(r.status.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'RunContainerError', message: 'exec: "web": not found' } });
    const retry = sync(input(pod(), { startFailures: new Map([['web', failure]]), backoff: r.backoff, nowMs: T0 + 1_000 }));
    expect(starts(retry.actions).map((a) => a.attempt)).toEqual([0]);
  });
});

describe('sync: old attempts', () => {
  it('removes exited attempts older than the previous one, keeping it for lastState and logs --previous', () => {
    const a0 = exited('web', 0, 1, T0, T0 + 1);
    const a1 = exited('web', 1, 1, T0 + 2, T0 + 3);
    const a2 = exited('web', 2, 2, T0 + 4, T0 + 5);
    const a3 = info('web', 3, { startedAtMs: T0 + 10 });
    const r = sync(input(pod(), { containers: [a2, a0, a3, a1], nowMs: T0 + 20 }));
    expect(r.actions).toEqual([
      { type: 'remove', id: a1.id, containerName: 'web' },
      { type: 'remove', id: a0.id, containerName: 'web' },
    ]);
    expect(r.status.containerStatuses?.[0]).toMatchObject({ restartCount: 3, containerID: a3.containerID, lastState: { terminated: { exitCode: 2, containerID: a2.containerID } } });
  });

  it('stops a running attempt that is not the latest, and removes a created-never-started one', () => {
    const stray = info('web', 0);
    const latest = info('web', 1);
    const created: ContainerInfo = info('web', 2, { state: 'created' });
    const { startedAtMs: _s, ...neverStarted } = created;
    const r = sync(input(pod(), { containers: [stray, latest, neverStarted] }));
    expect(r.actions).toEqual([
      { type: 'remove', id: created.id, containerName: 'web' },
      { type: 'stop', id: stray.id, containerName: 'web', gracePeriodMs: 30_000, reason: 'stray', message: 'Stopping container web: attempt 0 is not the latest' },
    ]);
  });

  it('stops and removes containers the spec does not name', () => {
    const ghost = info('ghost', 0);
    const ghostExited = exited('ghost', 1, 0, T0, T0 + 1);
    const r = sync(input(pod(), { containers: [info('web', 0), ghost, ghostExited] }));
    expect(kinds(r.actions).sort()).toEqual(['remove', 'stop']);
    expect(r.actions.find((a) => a.type === 'stop')).toMatchObject({ id: ghost.id, reason: 'stray' });
  });
});

describe('sync: status', () => {
  it('has the full shape for a running container with a previous attempt', () => {
    const previous = exited('web', 0, 1, T0, T0 + 1_000);
    const running = info('web', 1, { startedAtMs: T0 + 2_000 });
    const before: PodStatus = {
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: 'x' },
        { type: 'Initialized', status: 'True', lastTransitionTime: iso(T0 - 5) },
        { type: 'ContainersReady', status: 'False', lastTransitionTime: iso(T0 - 5) },
        { type: 'Ready', status: 'False', lastTransitionTime: iso(T0 - 5) },
      ],
    };
    const r = sync(input(pod(), { containers: [previous, running], nowMs: T0 + 3_000, previousStatus: before }));
    expect(r.status).toEqual({
      phase: 'Running',
      conditions: [
        // Kept as the scheduler wrote it (on the pod, not the previous report).
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-12-31T23:59:00.000Z' },
        { type: 'Initialized', status: 'True', lastTransitionTime: iso(T0 - 5) },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: iso(T0 + 3_000) },
        { type: 'Ready', status: 'True', lastTransitionTime: iso(T0 + 3_000) },
      ],
      hostIP: '10.0.0.7',
      podIP: '127.0.0.1',
      startTime: iso(T0),
      containerStatuses: [
        {
          name: 'web',
          image: 'drover/web:1',
          containerID: running.containerID,
          state: { running: { startedAt: iso(T0 + 2_000) } },
          lastState: {
            terminated: { exitCode: 1, reason: 'Error', startedAt: iso(T0), finishedAt: iso(T0 + 1_000), containerID: previous.containerID },
          },
          ready: true,
          started: true,
          restartCount: 1,
        },
      ],
    });
  });

  it('gives an equal status at a later time when nothing changed', () => {
    const containers = [info('web', 0)];
    const first = sync(input(pod(), { containers, nowMs: T0 + 10 }));
    const later = sync(input(pod(), { containers, nowMs: T0 + 60_000, previousStatus: first.status }));
    expect(later.status).toEqual(first.status);
  });

  it('names the unready containers in ContainersReady and Ready', () => {
    const p = pod({ containers: [container('web', { readinessProbe: { exec: { command: ['true'] } } }), container('db')] });
    const web = info('web', 0);
    const r = sync(input(p, { containers: [web, info('db', 0)] }));
    expect(r.status.containerStatuses?.map((c) => c.ready)).toEqual([false, true]);
    expect(r.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
  });
});

describe('sync: probes', () => {
  const liveness = { exec: { command: ['check'] }, failureThreshold: 1 };
  const readiness = { httpGet: { port: 80 } };
  const p = pod({ containers: [container('web', { livenessProbe: liveness, readinessProbe: readiness })], terminationGracePeriodSeconds: 5 });
  const web = info('web', 0);
  const probes = (live: 'success' | 'failure', ready: 'success' | 'failure') =>
    new Map([
      [
        web.id,
        {
          containerName: 'web',
          liveness: { ...initialProbeState('liveness', probeSettings(liveness, 'liveness'), T0), result: live },
          readiness: { ...initialProbeState('readiness', probeSettings(readiness, 'readiness'), T0), result: ready },
        },
      ],
    ]);

  it('is ready only once the readiness probe passes', () => {
    expect(sync(input(p, { containers: [web], probes: probes('success', 'failure') })).status.containerStatuses?.[0]?.ready).toBe(false);
    expect(sync(input(p, { containers: [web], probes: probes('success', 'success') })).status.containerStatuses?.[0]?.ready).toBe(true);
  });

  it('kills a container whose liveness probe failed, with the pod grace period, and marks it unready', () => {
    const r = sync(input(p, { containers: [web], probes: probes('failure', 'success') }));
    expect(r.actions).toEqual([
      { type: 'stop', id: web.id, containerName: 'web', gracePeriodMs: 5_000, reason: 'liveness', message: 'Container web failed liveness probe, will be restarted' },
    ]);
    expect(r.status.containerStatuses?.[0]?.ready).toBe(false);
    // While that stop is in flight it is not stopped again.
    expect(sync(input(p, { containers: [web], probes: probes('failure', 'success'), stopping: new Set([web.id]) })).actions).toEqual([]);
  });
});

describe('sync: deletion', () => {
  const deleted = (extra: Record<string, unknown> = {}) => {
    const p = pod({ containers: [container('web'), container('db')] });
    return { ...p, metadata: { ...p.metadata, deletionTimestamp: iso(T0), ...extra } };
  };

  it('stops running containers with the deletion grace period and removes exited ones, starting nothing', () => {
    const web = info('web', 0);
    const dbOld = exited('db', 0, 1, T0, T0 + 1);
    const r = sync(input(deleted({ deletionGracePeriodSeconds: 7 }), { containers: [web, dbOld], nowMs: T0 + 10_000 }));
    expect(r.actions).toEqual([
      { type: 'stop', id: web.id, containerName: 'web', gracePeriodMs: 7_000, reason: 'deleted', message: 'Stopping container web' },
      { type: 'remove', id: dbOld.id, containerName: 'db' },
    ]);
  });

  it('takes the grace from the spec, else 30 s', () => {
    const web = info('web', 0);
    const grace = (p: SyncInput['pod']) => (sync(input(p, { containers: [web], gone: true })).actions[0] as { gracePeriodMs?: number }).gracePeriodMs;
    expect(grace(pod({ terminationGracePeriodSeconds: 3 }))).toBe(3_000);
    const { terminationGracePeriodSeconds: _t, ...spec } = pod().spec;
    expect(grace({ ...pod(), spec })).toBe(30_000);
  });

  it('waits for stops in flight, then reports terminated once nothing is left, keeping the last status', () => {
    const web = info('web', 0);
    const waiting = sync(input(deleted(), { containers: [web], stopping: new Set([web.id]) }));
    expect(waiting.actions).toEqual([]);
    const last: PodStatus = { phase: 'Failed' };
    const done = sync(input(deleted(), { previousStatus: last }));
    expect(done.actions).toEqual([{ type: 'terminated' }]);
    expect(done.status).toBe(last);
  });

  it('does not restart what exits while deleting', () => {
    const r = sync(input(deleted(), { containers: [exited('web', 0, 1, T0, T0 + 1), info('db', 0)], gone: true }));
    expect(starts(r.actions)).toEqual([]);
  });
});

describe('sync: activeDeadlineSeconds', () => {
  const p = pod({ activeDeadlineSeconds: 60 });

  it('waits for the deadline while it is ahead', () => {
    const r = sync(input(p, { containers: [info('web', 0)], nowMs: T0 + 1_000 }));
    expect(r.actions).toEqual([{ type: 'wait', untilMs: T0 + 60_000, reason: 'deadline' }]);
    expect(r.status.phase).toBe('Running');
  });

  it('past it, stops the containers, restarts none, and marks the pod Failed with DeadlineExceeded', () => {
    const web = info('web', 0);
    const r = sync(input(p, { containers: [web], nowMs: T0 + 60_000 }));
    expect(r.actions).toEqual([
      { type: 'stop', id: web.id, containerName: 'web', gracePeriodMs: 30_000, reason: 'deadline', message: 'Stopping container web: the pod was active longer than its deadline' },
    ]);
    expect(r.status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    const after = sync(input(p, { containers: [exited('web', 0, 143, T0, T0 + 60_001)], nowMs: T0 + 70_000 }));
    expect(after.actions).toEqual([]);
    expect(after.status.phase).toBe('Failed');
    expect(after.status.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(143);
  });
});
