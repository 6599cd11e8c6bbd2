import { describe, expect, it } from 'vitest';
import { runCordon, runDrain } from '../../../bin/commands/index.js';
import { withUnschedulable } from '../../../bin/commands/cordon.js';
import { podsStillThere } from '../../../bin/commands/drain.js';
import { FakeClient, ManualClock } from './fake-client.js';
import { node, pod } from './objects.js';
import { testIo } from './test-io.js';

describe('drover cordon / uncordon', () => {
  it('sets and clears spec.unschedulable, saying when it already was', async () => {
    const client = new FakeClient();
    client.put(node('n1', { ready: 'True' }));
    const io = testIo();
    expect(await runCordon({ resource: 'node/n1', unschedulable: true }, io, () => client)).toBe(0);
    expect(client.stored('Node', 'n1')?.spec).toEqual({ unschedulable: true });
    expect(await runCordon({ resource: 'n1', unschedulable: true }, io, () => client)).toBe(0);
    expect(await runCordon({ resource: 'node', name: 'n1', unschedulable: false }, io, () => client)).toBe(0);
    expect(client.stored('Node', 'n1')?.spec).toBeUndefined();
    expect(await runCordon({ resource: 'nodes/n1', unschedulable: false }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual(['node/n1 cordoned', 'node/n1 already cordoned', 'node/n1 uncordoned', 'node/n1 already uncordoned']);
    expect(client.calls.filter((c) => c.startsWith('update'))).toHaveLength(2);
  });

  it('a missing node is exit 1; another kind is exit 2', async () => {
    const client = new FakeClient();
    let io = testIo();
    expect(await runCordon({ resource: 'node/n9', unschedulable: true }, io, () => client)).toBe(1);
    expect(io.stderr).toEqual(['error: nodes "n9" not found']);
    io = testIo();
    expect(await runCordon({ resource: 'pod/x', unschedulable: true }, io, () => client)).toBe(2);
    expect(io.stderr).toEqual(['error: cordon works on nodes, not pods']);
  });

  it('withUnschedulable keeps the rest of the spec', () => {
    const n = { ...node('n1'), spec: { taints: [{ key: 'k', effect: 'NoSchedule' as const }] } };
    expect(withUnschedulable(n, true).spec).toEqual({ taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true });
    expect(withUnschedulable(withUnschedulable(n, true), false).spec).toEqual({ taints: [{ key: 'k', effect: 'NoSchedule' }] });
  });
});

describe('drover drain', () => {
  function cluster(): FakeClient {
    const client = new FakeClient();
    client.gracefulPods = true;
    client.put(node('n1', { ready: 'True' }));
    client.put(pod('a', { nodeName: 'n1', owned: true }));
    client.put(pod('b', { nodeName: 'n1', namespace: 'team' }));
    client.put(pod('c', { nodeName: 'n2', owned: true }));
    client.put(pod('d', { nodeName: 'n1', owned: true, deleting: true }));
    return client;
  }

  it('cordons, deletes every pod on the node gracefully, and waits until they are gone', async () => {
    const client = cluster();
    const clock = new ManualClock();
    const io = testIo();
    const running = runDrain({ resource: 'node/n1', timeout: '1m', clock, pollIntervalMs: 1_000 }, io, () => client);
    await expect.poll(() => clock.pendingTimers).toBe(1);
    expect(client.stored('Node', 'n1')?.spec?.unschedulable).toBe(true);
    expect(client.calls).toContain('list Pod spec.nodeName=n1');
    expect(io.stdout).toEqual(['node/n1 cordoned', 'deleting pod default/a', 'deleting pod team/b']);
    expect(io.stderr).toEqual(['warning: deleting pods that no controller manages (nothing will recreate them): team/b']);
    // By uid (not a new pod of the same name), with each pod's own grace period; c is on another node, d was already going.
    expect(client.deletes).toEqual([
      { kind: 'Pod', name: 'a', options: { namespace: 'default', uid: 'uid-a' } },
      { kind: 'Pod', name: 'b', options: { namespace: 'team', uid: 'uid-b' } },
    ]);
    expect(client.stored('Pod', 'a')?.metadata.deletionTimestamp).toBeDefined();

    client.remove('Pod', 'a');
    clock.advance(1_000);
    await expect.poll(() => io.stdout.at(-1)).toBe('pod/a deleted');
    client.remove('Pod', 'b', 'team');
    client.remove('Pod', 'd');
    clock.advance(1_000);
    expect(await running).toBe(0);
    expect(io.stdout.slice(3)).toEqual(['pod/a deleted', 'pod/b deleted', 'pod/d deleted', 'node/n1 drained']);
    expect(client.stored('Pod', 'c')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('--timeout: exit 1 naming the pods still there; --grace-period goes with each deletion', async () => {
    const client = cluster();
    const clock = new ManualClock();
    const io = testIo();
    const running = runDrain({ resource: 'n1', timeout: '3s', gracePeriod: '10', clock, pollIntervalMs: 1_000 }, io, () => client);
    for (let i = 0; i < 3; i++) {
      await expect.poll(() => clock.pendingTimers).toBe(1);
      clock.advance(1_000);
    }
    expect(await running).toBe(1);
    expect(io.stderr.at(-1)).toBe('error: timed out after 3s waiting for 3 pod(s) to leave node n1: default/a, team/b, default/d');
    expect(client.deletes.map((d) => d.options.gracePeriodSeconds)).toEqual([10, 10]);
  });

  it('an empty node drains at once; a bad --grace-period is exit 2', async () => {
    const client = new FakeClient();
    client.put(node('n1'));
    let io = testIo();
    expect(await runDrain({ resource: 'node/n1' }, io, () => client)).toBe(0);
    expect(io.stdout).toEqual(['node/n1 cordoned', 'node/n1 drained']);
    io = testIo();
    expect(await runDrain({ resource: 'node/n1', gracePeriod: 'soon' }, io, () => client)).toBe(2);
  });

  it('podsStillThere matches by uid: a new pod of the same name is not the one deleted', () => {
    const old = pod('a');
    const renewed = { ...pod('a'), metadata: { ...pod('a').metadata, uid: 'uid-a-2' } };
    expect(podsStillThere([old], [renewed])).toEqual([]);
    expect(podsStillThere([old], [old, renewed])).toEqual([old]);
  });
});
