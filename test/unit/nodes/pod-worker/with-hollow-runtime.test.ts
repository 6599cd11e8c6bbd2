// The worker against the hollow runtime that hollow nodes and the simulated
// cluster use (the fake runtime drives the finer cases).

import { describe, expect, it } from 'vitest';
import { Simulation, type ActorContext } from '../../../../actors/index.js';
import type { PodStatus } from '../../../../core/api/index.js';
import { podWorker, type PodTerminated } from '../../../../nodes/pod-worker/index.js';
import { HollowProber } from '../../../../nodes/probes/index.js';
import { HollowRuntime } from '../../../../nodes/runtime/index.js';
import { container, pod, UID } from './fixtures.js';

describe('pod worker on the hollow runtime', () => {
  it('runs a pod, restarts a crashed container, and terminates on deletion', async () => {
    const sim = new Simulation({ seed: 3 });
    const system = await sim.system('hollow-1');
    const runtime = new HollowRuntime({ clock: sim.clock, idPrefix: 'h1-' });
    const statuses: PodStatus[] = [];
    const terminated: PodTerminated[] = [];
    const agent = system.spawn((_ctx: ActorContext<PodTerminated>) => (m: PodTerminated) => void terminated.push(m), 'agent');
    const p = pod({ containers: [container('web', { readinessProbe: { tcpSocket: { port: 80 } } })] });
    const worker = system.spawn(
      podWorker({ pod: p, runtime, prober: new HollowProber(), nodeName: 'hollow-1', hostIP: '10.0.0.9', report: (_p, s) => (statuses.push(s), Promise.resolve()), parent: agent }),
      'web-abc',
    );
    runtime.onExit((exit) => worker.tell({ type: 'container-exited', exit }));
    const ready = () => statuses.at(-1)?.containerStatuses?.[0]?.ready === true;

    expect(await sim.runUntil(ready, 5_000)).toBe(true);
    const first = (await runtime.list()).find((c) => c.state === 'running');
    expect(first?.podUid).toBe(UID);

    runtime.crash(first!.id, 2);
    expect(await sim.runUntil(() => statuses.at(-1)?.containerStatuses?.[0]?.restartCount === 1 && ready(), 5_000)).toBe(true);

    worker.tell({ type: 'pod', pod: { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:01:00.000Z' } } });
    expect(await sim.runUntil(() => terminated.length === 1, 60_000)).toBe(true);
    expect(await runtime.list()).toEqual([]);
  });
});
