/**
 * Log compaction and snapshots (Raft §7): a follower that needs entries the
 * leader has compacted gets the leader's snapshot, then appends from there.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../../raft/core/index.js';
import { Network, bytes } from './network.js';

/** 3 missed 'a'..'e' while cut off; the leader compacted its log up to what it applied (index 7). */
const behindCompacted = (reportSnapshots = true): Network => {
  const net = new Network({ reportSnapshots });
  expect(net.elect('1')).toBe('leader');
  net.propose('1', 'x');
  net.stabilize();
  net.isolate('3');
  for (const d of ['a', 'b', 'c', 'd', 'e']) net.propose('1', d);
  net.stabilize();
  net.compact('1');
  expect(net.raft('1').log.firstIndex()).toBe(8);
  net.heal();
  return net;
};

describe('snapshots', () => {
  it('a follower behind the leader’s compacted log gets a snapshot, then appends', () => {
    const net = behindCompacted();
    net.tickAll(2);
    const snaps = net.sentWhere((m) => m.type === 'snap');
    expect(snaps.map((m) => m.to)).toEqual(['3']);
    const snap = snaps[0]!.type === 'snap' ? snaps[0]!.snapshot : undefined;
    expect(snap?.meta).toEqual({ index: 7, term: 1, conf: { voters: ['1', '2', '3'], learners: [] } });
    expect(net.applied('3')).toEqual(['x', 'a', 'b', 'c', 'd', 'e']);
    expect(net.node('3').storage.firstIndex()).toBe(8);
    expect(net.raft('1').prs.get('3')?.state).toBe('replicate');
    // After the snapshot, plain appends.
    net.propose('1', 'f');
    net.stabilize();
    expect(net.applied('3')).toEqual(['x', 'a', 'b', 'c', 'd', 'e', 'f']);
    expect(net.sentWhere((m) => m.type === 'snap')).toHaveLength(1);
  });

  it('while a snapshot is in flight, the leader sends that follower nothing else', () => {
    const net = behindCompacted(false);
    net.dropTypes('snap');
    net.tickAll(2);
    expect(net.raft('1').prs.get('3')?.state).toBe('snapshot');
    const before = net.sent.length;
    net.propose('1', 'f');
    net.stabilize();
    expect(net.sent.slice(before).filter((m) => m.to === '3' && m.type === 'app')).toEqual([]);
  });

  // How the driver reports the snapshot's fate decides where the leader probes next.
  it.each([
    { ok: false, next: 3, why: 'lost: probe again from the follower’s match' },
    { ok: true, next: 8, why: 'delivered: probe after the snapshot' },
  ])('reportSnapshot(ok=$ok), $why; the follower catches up', ({ ok, next }) => {
    const net = behindCompacted(false);
    const hold = net.drop((m) => m.type === 'snap');
    net.tickAll(1); // heartbeat -> response -> the leader sends a snapshot, held back here
    const pr = () => net.raft('1').prs.get('3')!;
    expect(pr().state).toBe('snapshot');
    const [snap] = net.sentWhere((m) => m.type === 'snap');
    hold();
    net.raw('1').reportSnapshot('3', ok);
    expect([pr().state, pr().next]).toEqual(['probe', next]);
    // Probing waits for the next heartbeat response.
    expect(pr().isPaused()).toBe(true);
    if (ok) net.step('3', snap!); // the transport delivered it
    net.tickAll(3);
    expect(net.applied('3')).toEqual(['x', 'a', 'b', 'c', 'd', 'e']);
    expect(pr().state).toBe('replicate');
    expect(net.sentWhere((m) => m.type === 'snap')).toHaveLength(ok ? 1 : 2);
  });

  it('a follower ignores a snapshot it already covers', () => {
    const net = new Network();
    net.elect('1');
    net.propose('1', 'x');
    net.stabilize();
    const stale: Snapshot = { meta: { index: 1, term: 1, conf: { voters: ['1', '2', '3'], learners: [] } }, data: bytes('[]') };
    net.step('2', { type: 'snap', from: '1', to: '2', term: 1, snapshot: stale });
    net.processReady('2');
    expect(net.queued().map((m) => m.type === 'app-resp' && [m.reject, m.index])).toEqual([[false, 2]]);
    expect(net.raft('2').log.firstIndex()).toBe(1);
    expect(net.applied('2')).toEqual(['x']);
  });

  it('a snapshot whose last entry the follower holds only moves its commit index', () => {
    const net = new Network();
    net.elect('1');
    net.propose('1', 'x', 'y');
    net.processReady('1');
    net.deliver(); // 2 and 3 hold index 2..3, committed only up to 1
    net.processAllReady();
    net.discard();
    const snap: Snapshot = { meta: { index: 3, term: 1, conf: { voters: ['1', '2', '3'], learners: [] } }, data: bytes('[]') };
    net.step('2', { type: 'snap', from: '1', to: '2', term: 1, snapshot: snap });
    expect([net.raft('2').log.committed, net.raft('2').log.firstIndex()]).toEqual([3, 1]);
    net.processReady('2');
    expect(net.applied('2')).toEqual(['x', 'y']);
  });

  it('the snapshot brings the configuration to a member that joins after compaction', () => {
    const net = behindCompacted();
    net.tickAll(2);
    net.addNode('4');
    expect(net.proposeConfChange('1', { type: 'add-learner', node: '4' }).type).toBe('appended');
    net.stabilize();
    net.compact('1');
    net.compact('2');
    net.compact('3');
    net.tickAll(2);
    const snap = net.sentWhere((m) => m.type === 'snap' && m.to === '4')[0];
    expect(snap?.type === 'snap' && snap.snapshot.meta.conf).toEqual({ voters: ['1', '2', '3'], learners: ['4'] });
    expect(net.raft('4').conf).toEqual({ voters: ['1', '2', '3'], learners: ['4'] });
    net.propose('1', 'g');
    net.stabilize();
    expect(net.applied('4')).toEqual(['x', 'a', 'b', 'c', 'd', 'e', 'g']);
  });

  it('a compacted follower restarts from its snapshot and re-applies the rest', () => {
    const net = new Network();
    net.elect('1');
    net.propose('1', 'a', 'b');
    net.stabilize();
    net.compact('2');
    net.propose('1', 'c');
    net.stabilize();
    net.restart('2');
    expect(net.applied('2')).toEqual(['a', 'b']); // the state machine as of the snapshot
    net.processReady('2');
    expect(net.applied('2')).toEqual(['a', 'b', 'c']);
  });
});
