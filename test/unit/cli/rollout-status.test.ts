import { afterEach, describe, expect, it } from 'vitest';
import { runRolloutStatus } from '../../../bin/commands/index.js';
import { RolloutTracker } from '../../../bin/commands/rollout-tracker.js';
import type { Deployment, DeploymentStatus } from '../../../core/api/index.js';
import { ApiError } from '../../../core/client/index.js';
import { FakeClient, ManualClock } from './fake-client.js';
import { deployment, replicaSet } from './objects.js';
import { testIo } from './test-io.js';

/** The Deployment at generation 2 (a new template), with the status the controller reports. */
const at = (status: DeploymentStatus, generation = 2): Deployment => deployment({ generation, status });

// A rolling update of 3 replicas, as the controller reports it step by step.
const STEPS: Deployment[] = [
  at({ observedGeneration: 1, replicas: 3, updatedReplicas: 0, availableReplicas: 3 }),
  at({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
  at({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3, readyReplicas: 3 }),
  at({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }),
  at({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
  at({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
];

const LINES = [
  'Waiting for deployment "web" spec update to be observed...',
  'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
  'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
  'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
  'deployment "web" successfully rolled out',
];

const stuck = at({
  observedGeneration: 2,
  replicas: 4,
  updatedReplicas: 1,
  conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
});

describe('RolloutTracker', () => {
  it('gives a line each time the message changes, and none when it does not', () => {
    const tracker = new RolloutTracker(STEPS[0]!, [replicaSet(1, 'nginx:1'), replicaSet(2, 'nginx:2')]);
    const lines: string[] = [];
    const types: string[] = [];
    for (const d of STEPS) {
      tracker.deploymentChanged('MODIFIED', d);
      const step = tracker.step()!;
      types.push(step.status.type);
      if (step.line !== undefined) lines.push(step.line);
    }
    expect(lines).toEqual(LINES);
    expect(types.at(-1)).toBe('done');
    expect(types.slice(0, -1).every((t) => t === 'waiting')).toBe(true);
  });

  it("keeps only the Deployment's own sets: a paused Deployment waits while its template has no set", () => {
    const paused = deployment({ paused: true, status: { observedGeneration: 1 } });
    const other = { ...replicaSet(2, 'nginx:2'), metadata: { ...replicaSet(2, 'nginx:2').metadata, ownerReferences: [] } };
    const tracker = new RolloutTracker(paused, [replicaSet(1, 'nginx:1'), other]);
    expect(tracker.step()?.status.message).toMatch(/to be resumed/);
    tracker.replicaSetChanged('ADDED', replicaSet(2, 'nginx:2'));
    expect(tracker.step()?.status.message).not.toMatch(/to be resumed/);
    tracker.replicaSetChanged('DELETED', replicaSet(2, 'nginx:2'));
    expect(tracker.step()?.status.message).toMatch(/to be resumed/);
    tracker.deploymentChanged('DELETED', paused);
    expect(tracker.deleted).toBe(true);
    expect(tracker.step()).toBeUndefined();
  });

  it('reports a Deployment past its progress deadline as failed', () => {
    expect(new RolloutTracker(stuck, []).step()).toEqual({ status: { type: 'failed', message: 'deployment "web" exceeded its progress deadline' }, line: 'deployment "web" exceeded its progress deadline' });
  });
});

describe('drover rollout status', () => {
  let client: FakeClient;
  afterEach(() => expect(client.openWatches).toBe(0));

  async function started(first: Deployment, opts: { timeout?: string; clock?: ManualClock; signal?: AbortSignal } = {}): Promise<{ io: ReturnType<typeof testIo>; running: Promise<number> }> {
    client = new FakeClient();
    client.put(first);
    client.put(replicaSet(1, 'nginx:1', { replicas: 3 }));
    const io = testIo();
    const running = runRolloutStatus({ resource: 'deployment/web', ...opts }, io, () => client);
    await expect.poll(() => client.openWatches).toBe(2);
    return { io, running };
  }

  it('prints a line per change until the rollout is done (exit 0), watching the Deployment by name', async () => {
    const { io, running } = await started(STEPS[0]!);
    expect(client.calls).toEqual(['list Deployment metadata.name=web', 'list ReplicaSet -l app=web', 'watch Deployment metadata.name=web', 'watch ReplicaSet -l app=web']);
    // Another deployment's changes are not this one's.
    client.put({ ...deployment(), metadata: { ...deployment().metadata, name: 'other', uid: 'uid-other' } });
    for (const d of STEPS.slice(1)) client.put(d);
    expect(await running).toBe(0);
    expect(io.stdout).toEqual(LINES);
    expect(client.closed).toBe(true);
  });

  it('a new ReplicaSet of the Deployment moves a paused rollout on', async () => {
    const { io, running } = await started(deployment({ paused: true, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } }));
    expect(io.stdout).toEqual(['Waiting for deployment "web" to be resumed: its template has not rolled out...']);
    client.put(replicaSet(2, 'nginx:2', { replicas: 3 }));
    expect(await running).toBe(0);
    expect(io.stdout.at(-1)).toBe('deployment "web" successfully rolled out');
  });

  it('exit 1 when the progress deadline passes', async () => {
    const { io, running } = await started(STEPS[1]!);
    client.put(stuck);
    expect(await running).toBe(1);
    expect(io.stderr).toEqual(['error: deployment "web" exceeded its progress deadline']);
  });

  it('exit 1 after --timeout', async () => {
    const clock = new ManualClock();
    const { io, running } = await started(STEPS[1]!, { timeout: '5m', clock });
    clock.advance(299_000);
    client.put(STEPS[3]!);
    await expect.poll(() => io.stdout.length).toBe(2);
    clock.advance(1_000);
    expect(await running).toBe(1);
    expect(io.stderr).toEqual(['error: timed out after 5m waiting for deployment "web" to roll out']);
  });

  it('a watch that cannot resume is started again from a new read, with no line twice', async () => {
    const { io, running } = await started(STEPS[1]!);
    client.failWatches('ReplicaSet', new ApiError('FAILED_PRECONDITION', 'revision 101 is compacted'));
    await expect.poll(() => client.calls.filter((c) => c === 'watch Deployment metadata.name=web').length).toBe(2);
    await expect.poll(() => client.openWatches).toBe(2);
    client.put(STEPS[5]!);
    expect(await running).toBe(0);
    expect(io.stdout).toEqual([LINES[1], LINES[4]]);
  });

  it('any other watch failure is exit 1 with its message', async () => {
    const { io, running } = await started(STEPS[1]!);
    client.failWatches('Deployment', new ApiError('UNAVAILABLE', 'no master answered'));
    expect(await running).toBe(1);
    expect(io.stderr[0]).toMatch(/no master answered/);
  });

  it('exit 1 when the Deployment is deleted, or stopped by the signal', async () => {
    let { io, running } = await started(STEPS[1]!);
    client.remove('Deployment', 'web');
    expect(await running).toBe(1);
    expect(io.stderr).toEqual(['error: deployment "web" was deleted during its rollout']);

    const ac = new AbortController();
    ({ io, running } = await started(STEPS[1]!, { signal: ac.signal }));
    ac.abort();
    expect(await running).toBe(1);
    expect(io.stderr).toEqual([]);
  });

  it('--watch=false prints once; done and not found need no watch', async () => {
    client = new FakeClient();
    client.put(STEPS[1]!);
    let io = testIo();
    expect(await runRolloutStatus({ resource: 'deployment', name: 'web', watch: false }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual([LINES[1]]);
    client.put(STEPS[5]!);
    io = testIo();
    expect(await runRolloutStatus({ resource: 'deploy/web' }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual([LINES[4]]);
    io = testIo();
    expect(await runRolloutStatus({ resource: 'deploy/nope' }, io, () => client)).toBe(1);
    expect(io.stderr).toEqual(['error: deployments "nope" not found in namespace "default"']);
    io = testIo();
    expect(await runRolloutStatus({ resource: 'rs/web-h1' }, io, () => client)).toBe(2);
    expect(await runRolloutStatus({ resource: 'deploy/web', timeout: 'soon' }, io, () => client)).toBe(2);
    expect(client.calls.filter((c) => c.startsWith('watch'))).toEqual([]);
  });
});
