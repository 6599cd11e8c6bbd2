/**
 * The extensions of the Raft thesis (§9.6) that keep a partitioned or
 * rejoining replica from disrupting a healthy cluster: pre-vote, check-quorum
 * (a leader that lost its majority steps down) and the leader lease (a
 * follower that hears from its leader ignores candidates).
 */
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../../../raft/core/index.js';
import { Network, type NodeConfig } from './network.js';

const ELECTION = 10;

/** A 3-replica cluster led by 1, everything committed. */
const healthy = (config: NodeConfig, seed = 1): Network => {
  const net = new Network({ seed, config: { electionTicks: ELECTION, ...config } });
  expect(net.elect('1')).toBe('leader');
  net.propose('1', 'x');
  net.stabilize();
  return net;
};

/**
 * Gives `a` and `b` (which heard their leader at the same time) the same
 * election timeout and ticks them until both are pre-candidates, with
 * nothing delivered: each asks before it hears the other.
 */
const timeOutTogether = (net: Network, a: NodeId, b: NodeId): void => {
  for (const id of [a, b]) (net.raft(id) as unknown as { randomizedElectionTimeout: number }).randomizedElectionTimeout = ELECTION + 3;
  for (let ticks = 0; net.raft(a).role !== 'pre-candidate' && ticks < 3 * ELECTION; ticks++) {
    net.tick(a);
    net.tick(b);
  }
  expect([net.raft(a).role, net.raft(b).role]).toEqual(['pre-candidate', 'pre-candidate']);
};

describe('pre-vote', () => {
  // 3 is cut off for many election timeouts, then comes back.
  it.each([
    { preVote: true, checkQuorum: true, disrupted: false },
    { preVote: true, checkQuorum: false, disrupted: false },
    { preVote: false, checkQuorum: true, disrupted: true },
    { preVote: false, checkQuorum: false, disrupted: true },
  ])('a rejoining replica with preVote=$preVote checkQuorum=$checkQuorum: disrupts=$disrupted', ({ preVote, checkQuorum, disrupted }) => {
    const net = healthy({ preVote, checkQuorum });
    net.isolate('3');
    net.tickAll(5 * ELECTION);
    // Without pre-vote, 3 bumped its term at each timeout.
    expect(net.raft('3').term > 1).toBe(disrupted);
    expect(net.raft('3').role).toBe(preVote ? 'pre-candidate' : 'candidate');
    net.heal();
    net.tickAll(3 * ELECTION);
    const l = net.leader()!;
    expect(l === '1' && net.raft('1').term === 1).toBe(!disrupted);
    // Either way the cluster ends with one leader and 3 caught up.
    for (const id of ['1', '2', '3']) expect(net.raft(id).lead).toBe(l);
    net.propose(l, 'y');
    net.stabilize();
    expect(net.applied('3')).toEqual(['x', 'y']);
  });

  it('a pre-candidate asks again while a voter is in its lease, and wins as soon as the lease ends', () => {
    const net = healthy({});
    net.crash('1');
    // 3 heard from 1 two ticks ago; give it a long timeout so only 2 campaigns.
    net.tick('3', 2);
    (net.raft('3') as unknown as { randomizedElectionTimeout: number }).randomizedElectionTimeout = 2 * ELECTION - 1;
    let ticks = 0;
    while (net.raft('2').role !== 'pre-candidate' && ticks++ < 2 * ELECTION) net.tick('2');
    expect(net.raft('2').role).toBe('pre-candidate');
    net.stabilize(); // 3 ignores the pre-vote: it is in its lease
    expect(net.raft('2').role).toBe('pre-candidate');
    // The lease of 3 ends after ELECTION - 2 more ticks; 2 is leader by the tick after.
    for (let i = 0; i < ELECTION - 1 && net.raft('2').role !== 'leader'; i++) {
      net.tickAll();
      net.stabilize();
    }
    expect([net.raft('2').role, net.raft('2').term]).toEqual(['leader', 2]);
    expect(net.sentWhere((m) => m.type === 'pre-vote' && m.from === '2' && m.to === '3').length).toBeGreaterThan(1);
  });

  it('two replicas whose timers run out together do not split the vote: the lower id wins the pre-vote', () => {
    const net = healthy({});
    net.crash('1');
    timeOutTogether(net, '2', '3');
    net.stabilize();
    // Only 2 went on to the real vote, and won it in the first term it tried.
    expect([net.raft('2').role, net.raft('2').term]).toEqual(['leader', 2]);
    expect(net.raft('3').lead).toBe('2');
    expect(net.sentWhere((m) => m.type === 'vote' && m.from === '3').length).toBe(0);
  });

  it('a pre-candidate still grants a fellow pre-candidate whose log is newer, whatever the ids', () => {
    const net = healthy({});
    // 3 holds an entry 2 lacks.
    net.cut('1', '2');
    net.propose('1', 'y');
    net.stabilize();
    net.crash('1');
    net.heal();
    timeOutTogether(net, '2', '3');
    net.stabilize();
    expect(net.raft('3').role).toBe('leader');
    expect(net.applied('3')).toEqual(['x', 'y']);
  });

  it('a pre-candidate that cannot win refuses a higher id once, not for good', () => {
    // Five voters; 4 and 5 (the leader) are gone and 1 cannot reach 3. Only 2
    // can gather a quorum (1, 2, 3), and 1, stuck as a pre-candidate with
    // the same log, must not keep refusing it.
    const net = new Network({ ids: ['1', '2', '3', '4', '5'], seed: 7, config: { electionTicks: ELECTION } });
    expect(net.elect('5')).toBe('leader');
    net.propose('5', 'x');
    net.stabilize();
    net.crash('4');
    net.crash('5');
    net.cut('1', '3');
    for (let i = 0; i < 20 * ELECTION && (net.leader() ?? '5') === '5'; i++) net.tickAll();
    expect(net.leader()).toBe('2');
  });

  it('a pre-candidate that loses the pre-vote stays a follower in its term, with its vote', () => {
    const net = healthy({});
    // Rejections come in the voters' own term.
    net.campaign('2');
    net.step('2', { type: 'pre-vote-resp', from: '3', to: '2', term: 1, reject: true });
    net.step('2', { type: 'pre-vote-resp', from: '1', to: '2', term: 1, reject: true });
    expect([net.raft('2').role, net.raft('2').term, net.raft('2').vote]).toEqual(['follower', 1, '1']);
  });

  it('a pre-candidate that wins the pre-vote campaigns for real in the next term', () => {
    const net = healthy({});
    net.crash('1');
    net.tickAll(3 * ELECTION);
    const l = net.leader()!;
    expect(['2', '3']).toContain(l);
    expect(net.raft(l).term).toBe(2);
    // Every real vote request was preceded by a pre-vote of the same term.
    const votes = net.sentWhere((m) => m.type === 'vote');
    for (const v of votes) expect(net.sentWhere((m) => m.type === 'pre-vote' && m.from === v.from && m.term === v.term).length).toBeGreaterThan(0);
  });

  it('a replica grants a pre-vote for a later term without changing its own term or vote', () => {
    const net = new Network();
    net.step('2', { type: 'pre-vote', from: '1', to: '2', term: 5, lastIndex: 0, lastTerm: 0, transfer: false });
    net.processReady('2');
    expect(net.queued().map((m) => [m.type, m.term, 'reject' in m && m.reject])).toEqual([['pre-vote-resp', 5, false]]);
    expect([net.raft('2').term, net.raft('2').vote]).toEqual([0, '']);
  });

  it('a pre-vote of an older term is rejected in the newer term, which the pre-candidate adopts', () => {
    const net = new Network();
    net.step('1', { type: 'app', from: '3', to: '1', term: 4, index: 0, logTerm: 0, entries: [], commit: 0 });
    net.campaign('2'); // term 0: asks for term 1
    net.processReady('2');
    net.deliver((m) => m.to === '1');
    net.processReady('1');
    const [resp] = net.queued((m) => m.to === '2');
    expect(resp && [resp.type, resp.term, 'reject' in resp && resp.reject]).toEqual(['pre-vote-resp', 4, true]);
    net.deliver((m) => m.to === '2');
    expect([net.raft('2').role, net.raft('2').term]).toEqual(['follower', 4]);
  });
});

describe('check-quorum', () => {
  // A leader cut off from the majority steps down after an election timeout.
  it.each([
    { checkQuorum: true, cutOff: ['2', '3'], stepsDown: true },
    { checkQuorum: true, cutOff: ['2'], stepsDown: false },
    { checkQuorum: false, cutOff: ['2', '3'], stepsDown: false },
  ])('checkQuorum=$checkQuorum, cut off from $cutOff: steps down=$stepsDown', ({ checkQuorum, cutOff, stepsDown }) => {
    const net = healthy({ checkQuorum });
    for (const id of cutOff) net.cut('1', id);
    // Only the leader ticks: the others stay in their lease and never campaign.
    for (let i = 0; i < 2 * ELECTION; i++) {
      net.tick('1');
      net.stabilize();
    }
    expect(net.raft('1').role).toBe(stepsDown ? 'follower' : 'leader');
    expect(net.raft('1').term).toBe(1);
  });

  it('a leader that lost its quorum steps down within one election timeout, not before', () => {
    const net = healthy({ checkQuorum: true });
    net.isolate('1');
    let ticks = 0;
    while (net.raft('1').role === 'leader') {
      net.tick('1');
      ticks++;
      expect(ticks).toBeLessThanOrEqual(2 * ELECTION);
    }
    expect(ticks).toBeGreaterThanOrEqual(ELECTION);
    // It stepped down in its term; it did not start an election.
    expect([net.raft('1').term, net.raft('1').lead]).toEqual([1, '']);
  });

  it('the majority side elects a new leader; the old one follows it after the partition heals', () => {
    const net = healthy({});
    net.isolate('1');
    net.tickAll(3 * ELECTION);
    const l = net.leader()!;
    expect(l).not.toBe('1');
    expect(net.raft('1').role).not.toBe('leader');
    net.heal();
    net.tickAll(ELECTION);
    expect(net.leader()).toBe(l);
    expect(net.raft('1').lead).toBe(l);
  });
});

describe('leader lease', () => {
  // 2 heard from its leader within the election timeout: it ignores (pre-)vote requests
  // for later terms, unless the leader itself asked for the election (transfer).
  it.each([
    { type: 'vote', transfer: false, checkQuorum: true, answered: false },
    { type: 'pre-vote', transfer: false, checkQuorum: true, answered: false },
    { type: 'vote', transfer: true, checkQuorum: true, answered: true },
    { type: 'vote', transfer: false, checkQuorum: false, answered: true },
    { type: 'pre-vote', transfer: false, checkQuorum: false, answered: true },
  ] as const)('$type (transfer=$transfer) with checkQuorum=$checkQuorum: answered=$answered', ({ type, transfer, checkQuorum, answered }) => {
    const net = healthy({ checkQuorum, preVote: false });
    net.step('2', { type, from: '3', to: '2', term: 2, lastIndex: 10, lastTerm: 1, transfer });
    net.processReady('2');
    expect(net.queued((m) => m.to === '3').length).toBe(answered ? 1 : 0);
    expect(net.raft('2').term).toBe(answered && type === 'vote' ? 2 : 1);
  });

  it('after an election timeout without its leader, a follower answers again', () => {
    const net = healthy({});
    net.isolate('1');
    net.tick('2', ELECTION); // 2's randomized timeout is >= ELECTION: it may be campaigning already
    net.processReady('2');
    net.discard();
    net.step('2', { type: 'pre-vote', from: '3', to: '2', term: 2, lastIndex: 10, lastTerm: 1, transfer: false });
    net.processReady('2');
    expect(net.queued((m) => m.to === '3').map((m) => m.type)).toEqual(['pre-vote-resp']);
  });

  it('a partitioned candidate with a higher term cannot take over while the leader is heard', () => {
    // Without pre-vote, 3 campaigns in ever higher terms while cut off.
    const net = healthy({ preVote: false, checkQuorum: true });
    net.isolate('3');
    net.tickAll(4 * ELECTION);
    const t3 = net.raft('3').term;
    expect(t3).toBeGreaterThan(1);
    net.heal();
    // Its vote requests reach 1 and 2, which are in their lease: ignored.
    net.campaign('3');
    net.processReady('3');
    net.deliver((m) => m.type === 'vote');
    expect(['1', '2'].map((id: NodeId) => net.raft(id).term)).toEqual([1, 1]);
    expect(net.raft('1').role).toBe('leader');
  });
});
