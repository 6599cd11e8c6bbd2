import { describe, expect, it } from 'vitest';
import type { Node, Pod, Taint } from '../../../../../core/api/index.js';
import { DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS, DEFAULT_POD_EVICTION_TIMEOUT_MS, reconcileNodeLifecycle, UNREACHABLE_TAINT_KEY } from '../../../../../core/controllers/index.js';
import type { ControllerAction, NodeLifecycleInput } from '../../../../../core/controllers/index.js';
import { iso, node, pod, T0 } from '../fixtures.js';

const GRACE = DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS;
const EVICT = DEFAULT_POD_EVICTION_TIMEOUT_MS;

function runAt(over: Partial<NodeLifecycleInput> & { nowMs: number }) {
  return reconcileNodeLifecycle({
    nodes: [node('n1')],
    lastHeartbeatMs: new Map(),
    leaderSinceMs: T0,
    podsByNode: new Map(),
    ...over,
  });
}

const run = runAt;

const nodeWrites = (actions: readonly ControllerAction[]) =>
  actions.filter((a): a is Extract<ControllerAction, { type: 'update' | 'updateStatus' }> => a.type === 'update' || a.type === 'updateStatus');
const deletes = (actions: readonly ControllerAction[]) => actions.filter((a): a is Extract<ControllerAction, { type: 'delete' }> => a.type === 'delete');
const readyOf = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');

const unreachableTaints = (addedMs: number): Taint[] => [
  { key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: iso(addedMs) },
  { key: UNREACHABLE_TAINT_KEY, effect: 'NoExecute', timeAdded: iso(addedMs) },
];

describe('reconcileNodeLifecycle: judging nodes', () => {
  it('a new leader judges no node it has not heard from within the startup grace', () => {
    const result = run({ nowMs: T0 + GRACE });
    expect(result.actions).toEqual([]);
    expect(result.requeueAfterMs).toBe(1);
  });

  it('the startup grace is an option of its own', () => {
    expect(run({ nowMs: T0 + 3_000, options: { startupGracePeriodMs: 5_000 } }).actions).toEqual([]);
    expect(nodeWrites(run({ nowMs: T0 + 5_001, options: { startupGracePeriodMs: 5_000 } }).actions)).toHaveLength(1);
  });

  it('a node registered after the leader started gets the grace from its creation', () => {
    const fresh = node('n1', { createdMs: T0 + 10_000 });
    expect(run({ nodes: [fresh], nowMs: T0 + 11_000 }).actions).toEqual([]);
  });

  it('a node never heard from, past the grace: Ready Unknown and both unreachable taints, in one update', () => {
    const { actions } = run({ nowMs: T0 + GRACE + 1 });
    const writes = nodeWrites(actions);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.type).toBe('update');
    const n = writes[0]?.object as Node;
    expect(n.metadata.resourceVersion).toBe('7');
    expect(readyOf(n)).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'node agent stopped posting heartbeats',
      lastTransitionTime: iso(T0 + GRACE + 1),
    });
    expect(n.spec?.taints).toEqual(unreachableTaints(T0 + GRACE + 1));
  });

  it('a node heard from within the grace is left alone, and looked at again when the grace would run out', () => {
    const result = run({ lastHeartbeatMs: new Map([['n1', T0 + 1_000]]), nowMs: T0 + 2_000 });
    expect(result.actions).toEqual([]);
    // Heard 1 000 ms ago: the grace runs out in 500 ms, judged just after.
    expect(result.requeueAfterMs).toBe(GRACE - 1_000 + 1);
  });

  it('a node whose heartbeats stopped: NotReady after the grace, with its last heartbeat', () => {
    const beats = new Map([['n1', T0 + 1_000]]);
    expect(run({ lastHeartbeatMs: beats, nowMs: T0 + 1_000 + GRACE }).actions).toEqual([]);
    const [write] = nodeWrites(run({ lastHeartbeatMs: beats, nowMs: T0 + 1_001 + GRACE }).actions);
    expect(readyOf(write?.object as Node)).toMatchObject({ status: 'Unknown', lastHeartbeatTime: iso(T0 + 1_000) });
  });

  it('recovery: heard again, Ready True and the unreachable taints removed, other taints kept', () => {
    const other: Taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };
    const down = node('n1', { ready: 'Unknown', taints: [...unreachableTaints(T0 - 5_000), other] });
    const { actions } = run({ nodes: [down], lastHeartbeatMs: new Map([['n1', T0]]), nowMs: T0 + 100 });
    const [write] = nodeWrites(actions);
    expect(write?.type).toBe('update');
    const n = write?.object as Node;
    expect(readyOf(n)).toMatchObject({ status: 'True', reason: 'NodeReady', lastTransitionTime: iso(T0 + 100), lastHeartbeatTime: iso(T0) });
    expect(n.spec?.taints).toEqual([other]);
  });

  it('an already unreachable node is not written again, and keeps the timeAdded of its taints', () => {
    const down = node('n1', { ready: 'Unknown', taints: unreachableTaints(T0 - 60_000) });
    expect(nodeWrites(run({ nodes: [down], nowMs: T0 + 10_000 }).actions)).toEqual([]);
    const half = node('n1', { ready: 'Unknown', taints: unreachableTaints(T0 - 60_000).slice(0, 1) });
    const [write] = nodeWrites(run({ nodes: [half], nowMs: T0 + 10_000 }).actions);
    expect((write?.object as Node).spec?.taints).toEqual([
      { key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: iso(T0 - 60_000) },
      { key: UNREACHABLE_TAINT_KEY, effect: 'NoExecute', timeAdded: iso(T0 + 10_000) },
    ]);
  });

  it('a Ready node with no taint change gets a status update only', () => {
    const notReady = node('n1', { ready: 'False' });
    const [write] = nodeWrites(run({ nodes: [notReady], lastHeartbeatMs: new Map([['n1', T0]]), nowMs: T0 }).actions);
    expect(write?.type).toBe('updateStatus');
  });
});

describe('reconcileNodeLifecycle: evictions', () => {
  const down = (addedMs: number) => node('n1', { ready: 'Unknown', taints: unreachableTaints(addedMs) });
  const onN1 = (...pods: Pod[]) => new Map([['n1', pods]]);
  // A leader of long standing, past its startup grace, unless a test says otherwise.
  const run = (over: Partial<NodeLifecycleInput> & { nowMs: number }) => runAt({ leaderSinceMs: T0 - 60_000, ...over });

  it('evicts pods podEvictionTimeoutMs after the NoExecute taint, gracefully, with an event', () => {
    const p = pod({ name: 'web-a', grace: 10 });
    expect(deletes(run({ nodes: [down(T0)], podsByNode: onN1(p), nowMs: T0 + EVICT - 1 }).actions)).toEqual([]);
    const { actions } = run({ nodes: [down(T0)], podsByNode: onN1(p), nowMs: T0 + EVICT });
    expect(deletes(actions)).toEqual([{ type: 'delete', kind: 'Pod', namespace: 'default', name: 'web-a', uid: 'uid-web-a', gracePeriodSeconds: 10 }]);
    const events = actions.filter((a) => a.type === 'event');
    expect(events).toEqual([
      {
        type: 'event',
        involved: { apiVersion: 'drover/v1', kind: 'Pod', namespace: 'default', name: 'web-a', uid: 'uid-web-a' },
        eventType: 'Normal',
        reason: 'TaintManagerEviction',
        message: `Evicting pod from node n1: taint ${UNREACHABLE_TAINT_KEY}:NoExecute not tolerated`,
      },
    ]);
  });

  it('a node judged unreachable in this round evicts once the timeout has passed, and asks to be run then', () => {
    const result = runAt({ podsByNode: onN1(pod()), nowMs: T0 + GRACE + 1 });
    expect(deletes(result.actions)).toEqual([]);
    expect(result.requeueAfterMs).toBe(EVICT);
  });

  it('tolerationSeconds sets its own time; a toleration without it keeps the pod forever', () => {
    const limited = pod({ name: 'limited', tolerations: [{ key: UNREACHABLE_TAINT_KEY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] });
    const forever = pod({ name: 'forever', tolerations: [{ key: UNREACHABLE_TAINT_KEY, operator: 'Exists' }] });
    const plain = pod({ name: 'plain' });
    const at = (ms: number) => deletes(run({ nodes: [down(T0)], podsByNode: onN1(limited, forever, plain), nowMs: ms }).actions).map((d) => d.name);
    expect(at(T0 + EVICT)).toEqual(['plain']);
    expect(at(T0 + 59_999)).toEqual(['plain']);
    expect(at(T0 + 60_000)).toEqual(['limited', 'plain']);
    expect(at(T0 + 3_600_000)).toEqual(['limited', 'plain']);
    const event = run({ nodes: [down(T0)], podsByNode: onN1(limited), nowMs: T0 + 60_000 }).actions.find((a) => a.type === 'event');
    expect(event?.type === 'event' && event.message).toMatch(/tolerated for 60s only$/);
  });

  it('a toleration for another taint does not help', () => {
    const p = pod({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    expect(deletes(run({ nodes: [down(T0)], podsByNode: onN1(p), nowMs: T0 + EVICT }).actions)).toHaveLength(1);
  });

  it('any NoExecute taint evicts, on a reachable node too; NoSchedule ones do not', () => {
    const tainted = node('n1', { taints: [{ key: 'maintenance', effect: 'NoExecute', timeAdded: iso(T0) }, { key: 'x', effect: 'NoSchedule' }] });
    const beats = new Map([['n1', T0 + EVICT]]);
    expect(deletes(run({ nodes: [tainted], lastHeartbeatMs: beats, podsByNode: onN1(pod()), nowMs: T0 + EVICT }).actions)).toHaveLength(1);
    const soft = node('n1', { taints: [{ key: 'x', effect: 'NoSchedule' }] });
    expect(deletes(run({ nodes: [soft], lastHeartbeatMs: beats, podsByNode: onN1(pod()), nowMs: T0 + EVICT }).actions)).toEqual([]);
  });

  it('a new leader does not evict for the unreachable taint of a node it has not judged yet', () => {
    const result = runAt({ nodes: [down(T0 - 60_000)], podsByNode: onN1(pod()), nowMs: T0 + 500 });
    expect(result.actions).toEqual([]);
    // Once judged (still unreachable), the old taint counts from when it was added: out at once.
    expect(deletes(runAt({ nodes: [down(T0 - 60_000)], podsByNode: onN1(pod()), nowMs: T0 + GRACE + 1 }).actions)).toHaveLength(1);
  });

  it('a recovered node evicts nothing', () => {
    const result = run({ nodes: [down(T0 - 60_000)], lastHeartbeatMs: new Map([['n1', T0]]), podsByNode: onN1(pod()), nowMs: T0 });
    expect(deletes(result.actions)).toEqual([]);
  });

  it('leaves finished pods, and does not evict terminating ones again', () => {
    const done = pod({ name: 'done', phase: 'Succeeded' });
    const going = pod({ name: 'going', deletingAtMs: T0 + 30_000 });
    expect(deletes(run({ nodes: [down(T0)], podsByNode: onN1(done, going), nowMs: T0 + EVICT }).actions)).toEqual([]);
  });

  it('force-deletes terminating pods of an unreachable node once past their deletionTimestamp', () => {
    const going = pod({ name: 'going', deletingAtMs: T0 + 30_000 });
    const before = run({ nodes: [down(T0)], podsByNode: onN1(going), nowMs: T0 + 29_999 });
    expect(deletes(before.actions)).toEqual([]);
    expect(before.requeueAfterMs).toBe(1);
    expect(deletes(run({ nodes: [down(T0)], podsByNode: onN1(going), nowMs: T0 + 30_000 }).actions)).toEqual([
      { type: 'delete', kind: 'Pod', namespace: 'default', name: 'going', uid: 'uid-going', gracePeriodSeconds: 0 },
    ]);
  });

  it('does not force-delete terminating pods of a reachable node', () => {
    const going = pod({ name: 'going', deletingAtMs: T0 - 1 });
    expect(deletes(run({ lastHeartbeatMs: new Map([['n1', T0]]), podsByNode: onN1(going), nowMs: T0 }).actions)).toEqual([]);
  });

  it('limits evictions per round and asks to be run again at once', () => {
    const pods = ['a', 'b', 'c'].map((name) => pod({ name }));
    const result = run({ nodes: [down(T0)], podsByNode: onN1(...pods), nowMs: T0 + EVICT, options: { evictionsMax: 2 } });
    expect(deletes(result.actions)).toHaveLength(2);
    expect(result.requeueAfterMs).toBe(0);
  });
});

describe('reconcileNodeLifecycle: orphan pods', () => {
  it('force-deletes pods bound to a node that does not exist', () => {
    const stray = pod({ name: 'stray', node: 'gone' });
    const going = pod({ name: 'going', node: 'gone', deletingAtMs: T0 + 30_000 });
    const { actions } = run({ lastHeartbeatMs: new Map([['n1', T0]]), podsByNode: new Map([['gone', [stray, going]], ['n1', [pod()]]]), nowMs: T0 });
    expect(deletes(actions).map((d) => [d.name, d.gracePeriodSeconds])).toEqual([
      ['stray', 0],
      ['going', 0],
    ]);
  });
});
