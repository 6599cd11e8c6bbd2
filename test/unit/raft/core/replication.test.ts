/**
 * Log replication (Raft §5.3) and the safety of commitment (§5.4.2): what a
 * leader sends, when it commits, how followers' logs are repaired, and the
 * flow control around it (probe/replicate, in-flight window, batching).
 */
import { describe, expect, it } from 'vitest';
import type { AppendMessage, Message, NodeId } from '../../../../raft/core/index.js';
import { Network, storageWithLog, type NodeConfig } from './network.js';

const PAPER: NodeConfig = { preVote: false, checkQuorum: false };

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => String(i + 1));
const isApp = (m: Message): m is AppendMessage => m.type === 'app';
const appsTo = (to: NodeId) => (m: Message): m is AppendMessage => m.type === 'app' && m.to === to;

describe('§5.3 replicating and committing', () => {
  // An entry commits once a majority of voters (the leader included) hold it.
  it.each([
    { size: 1, acks: [], committed: true },
    { size: 3, acks: [], committed: false },
    { size: 3, acks: ['2'], committed: true },
    { size: 3, acks: ['2', '3'], committed: true },
    { size: 4, acks: ['2'], committed: false },
    { size: 4, acks: ['2', '3'], committed: true },
    { size: 5, acks: ['2'], committed: false },
    { size: 5, acks: ['2', '3'], committed: true },
  ])('$size voters, followers $acks acknowledge: committed=$committed', ({ size, acks, committed }) => {
    const net = new Network({ ids: ids(size), config: PAPER });
    net.elect('1');
    const res = net.propose('1', 'x');
    expect(res).toEqual({ type: 'appended', firstIndex: 2, lastIndex: 2, term: 1 });
    // Only the followers in `acks` hear from the leader from now on.
    net.drop((m) => m.from === '1' && !acks.includes(m.to));
    net.stabilize();
    expect(net.raft('1').log.committed).toBe(committed ? 2 : 1);
    expect(net.applied('1')).toEqual(committed ? ['x'] : []);
    // Followers learn the new commit index from the leader's next append.
    for (const id of acks) expect(net.applied(id)).toEqual(committed ? ['x'] : []);
  });

  it('a follower applies only what the leader has told it is committed', () => {
    const net = new Network({ config: PAPER });
    net.elect('1');
    net.propose('1', 'x');
    net.processReady('1');
    net.deliver(); // the append reaches 2 and 3
    net.processAllReady();
    expect([net.raft('2').log.lastIndex(), net.raft('2').log.committed]).toEqual([2, 1]);
    net.deliver(); // the acks reach 1, which commits and tells the followers
    net.stabilize();
    expect(net.raft('2').log.committed).toBe(2);
    expect(net.applied('2')).toEqual(['x']);
  });

  it('the leader counts itself only once its own entries are persisted', () => {
    const net = new Network({ ids: ids(1), config: PAPER });
    net.campaign('1');
    const rd = net.raw('1').ready();
    expect(rd.entries.map((e) => e.index)).toEqual([1]);
    expect(net.raft('1').log.committed).toBe(0);
    net.node('1').storage.append(rd.entries);
    if (rd.hardState) net.node('1').storage.setHardState(rd.hardState);
    net.raw('1').advance(rd);
    expect(net.raft('1').log.committed).toBe(1);
  });

  it('an append carries the index and term of the entry before its entries, and the commit index', () => {
    const net = new Network({ config: PAPER });
    net.elect('1');
    net.propose('1', 'a');
    net.processReady('1');
    const [m] = net.queued(appsTo('2'));
    expect(m && [m.index, m.logTerm, m.commit, m.entries.map((e) => [e.index, e.term])]).toEqual([1, 1, 1, [[2, 1]]]);
  });

  // A follower accepts an append only when it holds (index, logTerm); it answers with its last new index.
  it.each([
    { log: [1, 1], index: 2, logTerm: 1, reject: false, ackIndex: 3 },
    { log: [1, 1], index: 1, logTerm: 1, reject: false, ackIndex: 2 },
    { log: [1, 1], index: 2, logTerm: 2, reject: true, ackIndex: 2 },
    { log: [1, 1], index: 3, logTerm: 1, reject: true, ackIndex: 3 },
    { log: [], index: 0, logTerm: 0, reject: false, ackIndex: 1 },
  ])('follower log $log, append after ($index, $logTerm): reject=$reject', ({ log, index, logTerm, reject, ackIndex }) => {
    const net = new Network({ storage: () => storageWithLog(log, { term: 2 }), config: PAPER });
    const entries = [{ term: 2, index: index + 1, type: 'normal' as const, data: new Uint8Array() }];
    net.step('2', { type: 'app', from: '1', to: '2', term: 2, index, logTerm, entries, commit: 0 });
    net.processReady('2');
    const [resp] = net.queued();
    expect(resp?.type === 'app-resp' && [resp.reject, resp.index]).toEqual([reject, ackIndex]);
  });
});

describe('§5.3 repairing follower logs (Figure 7)', () => {
  // The leader of term 8 has [1,1,1,4,4,5,5,6,6,6]; each follower log of Figure 7
  // ends up equal to the leader's, missing entries added, extraneous ones removed.
  const leaderLog = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
  it.each([
    { name: '(a) missing one', follower: [1, 1, 1, 4, 4, 5, 5, 6, 6] },
    { name: '(b) missing many', follower: [1, 1, 1, 4] },
    { name: '(c) one extra uncommitted', follower: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6] },
    { name: '(d) extra entries of a later term', follower: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7] },
    { name: '(e) missing and extra', follower: [1, 1, 1, 4, 4, 4, 4] },
    { name: '(f) a divergent tail over terms 2 and 3', follower: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3] },
  ])('$name', ({ follower }) => {
    const net = new Network({
      config: PAPER,
      storage: (id) => (id === '1' ? storageWithLog(leaderLog, { term: 7, commit: 3 }) : id === '2' ? storageWithLog(follower, { term: 7, commit: 3 }) : storageWithLog(leaderLog.slice(0, 3), { term: 7, commit: 3 })),
    });
    expect(net.elect('1')).toBe('leader');
    expect(net.raft('1').term).toBe(8);
    net.propose('1', 'after');
    net.stabilize();
    expect(net.logTerms('2')).toEqual([...leaderLog, 8, 8]);
    expect(net.raft('2').log.committed).toBe(12);
    net.checkLogMatching();
  });
});

describe('§5.3 fast back-off on log mismatch', () => {
  // The follower's rejection hints at the last index whose term is <= the leader's
  // probe term; the leader skips its own entries of terms in between. A naive
  // decrement would need one round trip per divergent entry.
  const run = (n: number, term: number): number[] => Array.from({ length: n }, () => term);
  it.each([
    { name: 'a divergent tail of one term', leader: [1, 2, 2, 2, ...run(5, 5)], follower: [1, 2, 2, 2, ...run(6, 3)], maxRejects: 1 },
    { name: 'a divergent tail over three terms', leader: [1, ...run(50, 5)], follower: [1, ...run(20, 2), ...run(20, 3), ...run(20, 4)], maxRejects: 1 },
    { name: 'a short log, far behind', leader: [...run(10, 1), ...run(100, 3)], follower: run(10, 1), maxRejects: 1 },
    { name: 'a longer log of older terms', leader: [1, ...run(7, 3)], follower: [1, ...run(30, 2)], maxRejects: 1 },
    { name: 'divergent entries under matching terms', leader: [1, 1, 3, 3, 5, 5, 5], follower: [1, 1, 2, 2, 4, 4, 4, 4, 4], maxRejects: 2 },
  ])('$name: at most $maxRejects rejections', ({ leader, follower, maxRejects }) => {
    const net = new Network({
      ids: ['1', '2'],
      config: PAPER,
      storage: (id) => (id === '1' ? storageWithLog(leader, { commit: 1 }) : storageWithLog(follower, { term: leader[leader.length - 1]!, commit: 1 })),
    });
    expect(net.elect('1')).toBe('leader');
    net.stabilize();
    const rejects = net.sentWhere((m) => m.type === 'app-resp' && m.reject);
    expect(rejects.length).toBeLessThanOrEqual(maxRejects);
    expect(net.logTerms('2')).toEqual(net.logTerms('1'));
    expect(net.raft('2').log.committed).toBe(leader.length + 1);
  });
});

describe('flow control', () => {
  /** A 2-replica cluster whose leader has 1 in replicate state towards 2. */
  const replicating = (config: NodeConfig): Network => {
    const net = new Network({ ids: ['1', '2'], config: { ...PAPER, ...config } });
    net.elect('1');
    expect(net.raft('1').prs.get('2')?.state).toBe('replicate');
    return net;
  };

  // In replicate state the leader pipelines appends up to maxInflightMsgs unacknowledged ones.
  it.each([1, 3, 5])('maxInflightMsgs %i caps the appends in flight', (max) => {
    const net = replicating({ maxInflightMsgs: max });
    for (let i = 0; i < 10; i++) {
      net.propose('1', `e${i}`);
      net.processReady('1');
    }
    expect(net.queued(appsTo('2'))).toHaveLength(max);
    // Each acknowledgement frees room; the rest follows.
    net.stabilize();
    expect(net.applied('2')).toHaveLength(10);
  });

  it('in probe state the leader sends one append and waits for its answer', () => {
    const net = new Network({ ids: ['1', '2'], config: PAPER });
    net.elect('1');
    net.raw('1').reportUnreachable('2');
    expect(net.raft('1').prs.get('2')?.state).toBe('probe');
    for (let i = 0; i < 5; i++) {
      net.propose('1', `e${i}`);
      net.processReady('1');
    }
    expect(net.queued(appsTo('2'))).toHaveLength(1);
    net.stabilize();
    expect(net.raft('1').prs.get('2')?.state).toBe('replicate');
    expect(net.applied('2')).toHaveLength(5);
  });

  it('batching: one append carries entries up to maxMsgBytes', () => {
    // entrySize is data + 24 bytes: 4-byte entries are 28 bytes, three fit in 100.
    const net = new Network({ ids: ['1', '2'], config: { ...PAPER, maxMsgBytes: 100 } });
    net.elect('1');
    net.isolate('2');
    for (let i = 0; i < 7; i++) net.propose('1', `ent${i}`);
    net.stabilize();
    net.heal();
    net.tickAll(2); // heartbeat -> response -> the leader sends what 2 lacks
    const sizes = net.sentWhere(appsTo('2')).map((m) => m.entries.length);
    expect(Math.max(...sizes)).toBe(3);
    expect(net.applied('2')).toHaveLength(7);
  });

  it('maxApplyBytes: committed entries reach the state machine in bounded batches, in order', () => {
    // 4-byte entries are 28 bytes: three fit in 100.
    const net = new Network({ ids: ['1'], config: { ...PAPER, maxApplyBytes: 100 } });
    net.elect('1');
    net.stabilize();
    net.propose('1', ...Array.from({ length: 10 }, (_, i) => `e${i}`.padEnd(4, '.')));
    net.processReady('1'); // persists; the entries commit on advance
    const batches: number[] = [];
    while (net.raw('1').hasReady()) {
      const before = net.node('1').sm.length;
      net.processReady('1');
      batches.push(net.node('1').sm.length - before);
    }
    expect(batches).toEqual([3, 3, 3, 1]);
    expect(net.applied('1')).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`.padEnd(4, '.')));
  });

  it('a full in-flight window recovers when every append in it was lost', () => {
    const net = replicating({ maxInflightMsgs: 2 });
    for (let i = 0; i < 4; i++) {
      net.propose('1', `e${i}`);
      net.processReady('1');
    }
    // The two appends in flight are lost; the window is full.
    expect(net.discard(appsTo('2'))).toHaveLength(2);
    net.tickAll(3); // heartbeats and their responses must reopen the flow
    expect(net.applied('2')).toEqual(['e0', 'e1', 'e2', 'e3']);
  });

  it('a lost append in replicate state is resent after the follower rejects the next one', () => {
    const net = replicating({});
    net.propose('1', 'a');
    net.processReady('1');
    net.discard(appsTo('2'));
    net.propose('1', 'b');
    net.stabilize();
    expect(net.sentWhere((m) => m.type === 'app-resp' && m.reject)).toHaveLength(1);
    expect(net.applied('2')).toEqual(['a', 'b']);
  });

  it('a duplicated or reordered old append does not truncate newer entries', () => {
    const net = replicating({});
    net.propose('1', 'a');
    net.processReady('1');
    const [first] = net.queued(appsTo('2'));
    net.stabilize();
    net.propose('1', 'b');
    net.stabilize();
    net.step('2', first!); // the old append again
    net.stabilize();
    expect(net.logTerms('2')).toEqual([1, 1, 1]);
    expect(net.applied('2')).toEqual(['a', 'b']);
  });
});

describe('§5.4.2 committing entries from previous terms', () => {
  // Node 1 has [1, 2] from earlier terms and leads term 3 (its no-op is index 3).
  // Replicas of earlier-term entries are not counted; its own entry commits them.
  it.each([
    { ack: 1, committed: 0 },
    { ack: 2, committed: 0 },
    { ack: 3, committed: 3 },
  ])('follower acknowledges index $ack: commit index $committed', ({ ack, committed }) => {
    const net = new Network({
      ids: ['1', '2'],
      config: PAPER,
      storage: (id) => (id === '1' ? storageWithLog([1, 2], { term: 2 }) : storageWithLog([], { term: 2 })),
    });
    net.dropTypes('app');
    expect(net.elect('1')).toBe('leader');
    expect(net.raft('1').term).toBe(3);
    net.step('1', { type: 'app-resp', from: '2', to: '1', term: 3, index: ack, reject: false, hintIndex: 0, hintTerm: 0 });
    expect(net.raft('1').log.committed).toBe(committed);
  });

  /** Stabilizes, cutting every append down to the entries at or below `maxIndex` (a network that loses the rest). */
  const stabilizeUpTo = (net: Network, maxIndex: number): void => {
    for (let round = 0; round < 100; round++) {
      net.processAllReady();
      if (net.queue.length === 0) return;
      net.queue = net.queue.map((m) => (m.type === 'app' ? { ...m, entries: m.entries.filter((e) => e.index <= maxIndex) } : m));
      net.deliver();
    }
    throw new Error('did not settle');
  };

  it('Figure 8: an entry of an earlier term stored on a majority is not committed, and may be overwritten', () => {
    const [S1, S2, S3, S4, S5] = ['1', '2', '3', '4', '5'] as const;
    // Everyone holds index 1 (term 1), committed.
    const net = new Network({ ids: ids(5), config: PAPER, storage: () => storageWithLog([1], { term: 1, commit: 1 }) });
    // (a) S1 leads term 2 (votes of S2, S3, S4) and stores index 2 on S2 only.
    net.isolate(S5);
    net.drop((m) => m.type === 'app' && m.to !== S2);
    expect(net.elect(S1)).toBe('leader');
    expect([net.raft(S1).term, net.logTerms(S2)]).toEqual([2, [1, 2]]);
    // (b) S1 crashes. S5 leads term 3 (votes of S3, S4; S2 refuses, its log is newer) and stores index 2 alone.
    net.crash(S1);
    net.heal();
    net.dropTypes('app');
    expect(net.elect(S5)).not.toBe('leader'); // term 2: S3 and S4 voted for S1 already
    expect(net.elect(S5)).toBe('leader');
    expect([net.raft(S5).term, net.logTerms(S5)]).toEqual([3, [1, 3]]);
    // (c) S5 crashes. S1 restarts, leads term 4 and copies index 2 (term 2) to S3 and S4; its own no-op (index 3) goes nowhere.
    net.crash(S5);
    net.heal();
    net.restart(S1);
    net.campaign(S1);
    stabilizeUpTo(net, 2); // term 3: S3 and S4 voted for S5
    net.campaign(S1);
    stabilizeUpTo(net, 2);
    expect([net.raft(S1).role, net.raft(S1).term]).toEqual(['leader', 4]);
    for (const id of [S2, S3, S4]) expect(net.logTerms(id)).toEqual([1, 2]);
    expect([...net.raft(S1).prs].map(([id, pr]) => [id, pr.match])).toEqual([
      [S1, 3],
      [S2, 2],
      [S3, 2],
      [S4, 2],
      [S5, 0],
    ]);
    // Index 2 is on four of five replicas, and the leader knows it, but it is of term 2: not committed.
    expect(net.raft(S1).log.committed).toBe(1);
    // (d) Rightly so: S1 crashes, S5 (last term 3 beats term 2) is elected and overwrites index 2.
    net.crash(S1);
    net.restart(S5);
    expect(net.elect(S5)).not.toBe('leader'); // term 4: they voted for S1
    expect(net.elect(S5)).toBe('leader');
    expect(net.raft(S5).term).toBe(5);
    for (const id of [S2, S3, S4]) expect(net.logTerms(id)).toEqual([1, 3, 5]);
    // Nobody applied index 2 of term 2: the network's safety checks would have thrown.
  });

  it('Figure 8 (e): once the leader commits an entry of its own term, earlier entries are safe', () => {
    const net = new Network({ ids: ids(5), config: PAPER });
    net.elect('1');
    net.partition(['1', '2', '3'], ['4', '5']);
    net.propose('1', 'x');
    net.stabilize();
    expect(net.raft('1').log.committed).toBe(2);
    net.crash('1');
    net.heal();
    // 4 and 5 lack 'x': neither can win against 2 and 3.
    expect(net.elect('5')).not.toBe('leader');
    expect(net.elect('4')).not.toBe('leader');
    expect(net.elect('2')).toBe('leader');
    net.stabilize();
    for (const id of ['2', '3', '4', '5']) expect(net.applied(id)).toEqual(['x']);
  });
});
