/**
 * Leader election: Raft §5.1 (terms), §5.2 (election) and §5.4.1 (election
 * restriction). Most tests switch pre-vote and check-quorum off to test the
 * paper's algorithm alone; prevote-checkquorum.test.ts covers those.
 */
import { describe, expect, it } from 'vitest';
import type { Message, NodeId, VoteRequest } from '../../../../raft/core/index.js';
import { Network, storageWithLog, type NodeConfig } from './network.js';

const PAPER: NodeConfig = { preVote: false, checkQuorum: false };

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => String(i + 1));

/** The replies `from` sent to `to` (they are left in the queue). */
const repliesTo = (net: Network, to: NodeId): Message[] => net.queued((m) => m.to === to);

describe('§5.2 election timeout', () => {
  it('a follower campaigns once its election timeout, randomized in [n, 2n), elapses', () => {
    const electionTicks = 10;
    const timeouts = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const net = new Network({ seed, config: { ...PAPER, electionTicks } });
      let ticks = 0;
      while (net.raft('1').role === 'follower') {
        net.tick('1');
        ticks++;
        expect(ticks).toBeLessThan(2 * electionTicks);
      }
      expect(ticks).toBeGreaterThanOrEqual(electionTicks);
      timeouts.add(ticks);
    }
    // Randomized: replicas do not all time out together.
    expect(timeouts.size).toBeGreaterThanOrEqual(5);
  });

  it.each([
    { preVote: false, role: 'candidate', type: 'vote', term: 2, msgTerm: 2, vote: '1' },
    // A pre-candidate asks for the next term without moving to it or voting.
    { preVote: true, role: 'pre-candidate', type: 'pre-vote', term: 1, msgTerm: 2, vote: '' },
  ] as const)('campaigning with preVote=$preVote: $role, asks every voter with $type for term $msgTerm', ({ preVote, role, type, term, msgTerm, vote }) => {
    const net = new Network({ ids: ids(3), storage: () => storageWithLog([1, 1]), config: { preVote, checkQuorum: false } });
    net.campaign('1');
    const r = net.raft('1');
    expect([r.role, r.term, r.vote]).toEqual([role, term, vote]);
    net.processReady('1');
    const reqs = net.queued() as VoteRequest[];
    expect(reqs.map((m) => [m.type, m.to, m.term, m.lastIndex, m.lastTerm])).toEqual([
      [type, '2', msgTerm, 2, 1],
      [type, '3', msgTerm, 2, 1],
    ]);
  });

  it('a leader does not campaign when ticked (it sends heartbeats instead)', () => {
    const net = new Network({ config: PAPER });
    net.elect('1');
    for (let i = 0; i < 50; i++) net.tick('1');
    expect([net.raft('1').role, net.raft('1').term]).toEqual(['leader', 1]);
    net.processReady('1');
    expect(net.queued().every((m) => m.type === 'heartbeat')).toBe(true);
  });
});

describe('§5.2 winning an election', () => {
  // Who is up decides whether a candidate reaches a majority.
  it.each([
    { size: 1, down: [], role: 'leader' },
    { size: 3, down: [], role: 'leader' },
    { size: 3, down: ['3'], role: 'leader' },
    { size: 3, down: ['2', '3'], role: 'candidate' },
    { size: 4, down: ['3', '4'], role: 'candidate' },
    { size: 5, down: ['4', '5'], role: 'leader' },
    { size: 5, down: ['3', '4', '5'], role: 'candidate' },
  ])('$size voters with $down down: the candidate becomes $role', ({ size, down, role }) => {
    const net = new Network({ ids: ids(size), config: PAPER });
    for (const id of down) net.crash(id);
    expect(net.elect('1')).toBe(role);
    expect(net.raft('1').term).toBe(1);
  });

  // The candidate's tally: a majority of grants wins, a majority of rejections loses.
  it.each([
    { size: 3, votes: { '2': true }, role: 'leader' },
    { size: 3, votes: { '2': false }, role: 'candidate' },
    { size: 3, votes: { '2': false, '3': false }, role: 'follower' },
    { size: 3, votes: { '2': false, '3': true }, role: 'leader' },
    { size: 5, votes: { '2': true }, role: 'candidate' },
    { size: 5, votes: { '2': true, '3': true }, role: 'leader' },
    { size: 5, votes: { '2': false, '3': false }, role: 'candidate' },
    { size: 5, votes: { '2': false, '3': false, '4': false }, role: 'follower' },
    { size: 5, votes: { '2': true, '3': false, '4': false, '5': true }, role: 'leader' },
  ])('$size voters, votes $votes: $role', ({ size, votes, role }) => {
    const net = new Network({ ids: ids(size), config: PAPER });
    net.campaign('1');
    for (const [from, granted] of Object.entries(votes)) {
      net.step('1', { type: 'vote-resp', from, to: '1', term: 1, reject: !granted });
    }
    expect([net.raft('1').role, net.raft('1').term]).toEqual([role, 1]);
  });

  it('a new leader announces itself with an append carrying an entry of its term', () => {
    const net = new Network({ config: PAPER });
    net.campaign('1');
    net.step('1', { type: 'vote-resp', from: '2', to: '1', term: 1, reject: false });
    net.processReady('1');
    const apps = net.queued((m) => m.type === 'app');
    expect(apps.map((m) => m.to)).toEqual(['2', '3']);
    for (const m of apps) if (m.type === 'app') expect(m.entries.map((e) => [e.index, e.term, e.data.byteLength])).toEqual([[1, 1, 0]]);
  });

  it('duplicate votes from one voter count once', () => {
    const net = new Network({ ids: ids(5), config: PAPER });
    net.campaign('1');
    for (let i = 0; i < 3; i++) net.step('1', { type: 'vote-resp', from: '2', to: '1', term: 1, reject: false });
    expect(net.raft('1').role).toBe('candidate');
  });
});

describe('§5.2 split votes', () => {
  it('when no candidate wins, one times out and wins in the next term', () => {
    const net = new Network({ ids: ids(4), config: PAPER });
    // 1 and 2 campaign at once; 3 votes for 1 and 4 for 2: two votes each, a majority is three.
    net.cut('1', '4');
    net.cut('2', '3');
    net.campaign('1');
    net.campaign('2');
    net.stabilize();
    expect(['1', '2'].map((id) => [net.raft(id).role, net.raft(id).term])).toEqual([
      ['candidate', 1],
      ['candidate', 1],
    ]);
    net.heal();
    // Each candidate's timeout is randomized; the first to expire starts term 2 and wins it.
    let rounds = 0;
    while (net.leader() === undefined) {
      net.tick('1');
      net.tick('2');
      net.stabilize();
      expect(++rounds).toBeLessThan(40);
    }
    const l = net.leader()!;
    expect(['1', '2']).toContain(l);
    expect(net.raft(l).term).toBe(2);
  });
});

describe('§5.2 one vote per term', () => {
  // A voter grants at most one candidate per term (and repeats its grant to the same one).
  it.each([
    { vote: '', lead: '', from: '2', granted: true },
    { vote: '', lead: '', from: '3', granted: true },
    { vote: '2', lead: '', from: '2', granted: true },
    { vote: '3', lead: '', from: '3', granted: true },
    { vote: '2', lead: '', from: '3', granted: false },
    { vote: '3', lead: '', from: '2', granted: false },
    // Knowing this term's leader, a replica does not vote in the term.
    { vote: '', lead: '3', from: '2', granted: false },
  ])('voted for "$vote" (leader "$lead"), asked by $from: granted=$granted', ({ vote, lead, from, granted }) => {
    const net = new Network({ storage: () => storageWithLog([], { term: 1, vote }), config: PAPER });
    if (lead !== '') net.step('1', { type: 'heartbeat', from: lead, to: '1', term: 1, commit: 0, context: '' });
    net.processReady('1');
    net.discard();
    net.step('1', { type: 'vote', from, to: '1', term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    net.processReady('1');
    expect(repliesTo(net, from).map((m) => [m.type, m.term, m.type === 'vote-resp' && m.reject])).toEqual([['vote-resp', 1, !granted]]);
    expect(net.raft('1').vote).toBe(granted ? from : vote);
  });

  it('two candidates of one term: the voter grants the first and rejects the second', () => {
    const net = new Network({ config: PAPER });
    const ask = (from: NodeId): void => net.step('3', { type: 'vote', from, to: '3', term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    ask('1');
    ask('2');
    net.processReady('3');
    expect(net.queued().map((m) => [m.to, m.type === 'vote-resp' && m.reject])).toEqual([
      ['1', false],
      ['2', true],
    ]);
  });
});

describe('§5.1 terms', () => {
  // A replica that sees a higher term adopts it and becomes a follower, whatever its role.
  it.each(['follower', 'pre-candidate', 'candidate', 'leader'] as const)('a %s that sees a higher term becomes a follower in it', (role) => {
    const net = new Network({ config: { preVote: role === 'pre-candidate', checkQuorum: false } });
    if (role !== 'follower') net.campaign('1');
    if (role === 'leader') {
      net.step('1', { type: 'vote-resp', from: '2', to: '1', term: 1, reject: false });
    }
    expect(net.raft('1').role).toBe(role);
    net.step('1', { type: 'app', from: '2', to: '1', term: 5, index: 0, logTerm: 0, entries: [], commit: 0 });
    const r = net.raft('1');
    expect([r.role, r.term, r.lead, r.vote]).toEqual(['follower', 5, '2', '']);
  });

  it('a higher term that is not from a leader leaves the replica without a leader', () => {
    const net = new Network({ config: PAPER });
    net.elect('1');
    net.step('1', { type: 'heartbeat-resp', from: '2', to: '1', term: 3, context: '' });
    expect([net.raft('1').role, net.raft('1').term, net.raft('1').lead]).toEqual(['follower', 3, '']);
  });

  // Messages of older terms are ignored; with check-quorum or pre-vote a stale leader is told the term.
  it.each([
    { cfg: PAPER, replies: [] },
    { cfg: { preVote: false, checkQuorum: true }, replies: [['app-resp', 2]] },
    { cfg: { preVote: true, checkQuorum: false }, replies: [['app-resp', 2]] },
  ])('a stale append with $cfg: ignored, replies $replies', ({ cfg, replies }) => {
    const net = new Network({ storage: () => storageWithLog([1], { term: 2 }), config: cfg });
    net.step('1', { type: 'app', from: '2', to: '1', term: 1, index: 1, logTerm: 1, entries: [{ term: 1, index: 2, type: 'normal', data: new Uint8Array() }], commit: 2 });
    net.processReady('1');
    expect(net.raft('1').log.lastIndex()).toBe(1);
    expect(net.raft('1').log.committed).toBe(0);
    expect(net.queued().map((m) => [m.type, m.term])).toEqual(replies);
  });

  it('a stale leader steps down when a follower tells it the newer term', () => {
    const net = new Network({ config: { preVote: false, checkQuorum: true } });
    net.elect('1');
    net.isolate('1');
    net.elect('2');
    expect(net.raft('2').term).toBe(2);
    net.heal();
    net.tick('1'); // heartbeat in term 1
    net.stabilize();
    expect([net.raft('1').role, net.raft('1').term]).toEqual(['follower', 2]);
  });
});

describe('§5.4.1 election restriction', () => {
  // The voter's log is [1, 1] (lastIndex 2, lastTerm 1), or [2] (lastIndex 1, lastTerm 2).
  it.each([
    { voter: [1, 1], lastIndex: 1, lastTerm: 1, granted: false }, // same term, shorter
    { voter: [1, 1], lastIndex: 2, lastTerm: 1, granted: true }, // same
    { voter: [1, 1], lastIndex: 3, lastTerm: 1, granted: true }, // same term, longer
    { voter: [1, 1], lastIndex: 1, lastTerm: 2, granted: true }, // later term, shorter
    { voter: [1, 1], lastIndex: 3, lastTerm: 2, granted: true }, // later term, longer
    { voter: [1, 1], lastIndex: 0, lastTerm: 0, granted: false }, // empty
    { voter: [2], lastIndex: 1, lastTerm: 1, granted: false }, // earlier term
    { voter: [2], lastIndex: 5, lastTerm: 1, granted: false }, // earlier term, longer
    { voter: [2], lastIndex: 1, lastTerm: 2, granted: true },
    { voter: [2], lastIndex: 2, lastTerm: 3, granted: true },
  ])('voter log $voter, candidate lastIndex $lastIndex lastTerm $lastTerm: granted=$granted', ({ voter, lastIndex, lastTerm, granted }) => {
    for (const type of ['vote', 'pre-vote'] as const) {
      const net = new Network({ storage: () => storageWithLog(voter, { term: 3 }), config: PAPER });
      net.step('1', { type, from: '2', to: '1', term: 4, lastIndex, lastTerm, transfer: false });
      net.processReady('1');
      const resp = net.queued();
      expect(resp.map((m) => [m.type, 'reject' in m && m.reject])).toEqual([[`${type}-resp`, !granted]]);
      // A real vote request moves the voter to the candidate's term even when rejected; a pre-vote never does.
      expect(net.raft('1').term).toBe(type === 'vote' ? 4 : 3);
    }
  });

  it('a replica missing committed entries cannot be elected', () => {
    const net = new Network({ config: PAPER });
    net.elect('1');
    net.isolate('3');
    net.propose('1', 'x');
    net.stabilize();
    net.heal();
    net.crash('1');
    // 3 lacks 'x' (committed on 1 and 2): 2 refuses it, so it cannot reach a majority.
    expect(net.elect('3')).toBe('candidate');
    expect(net.elect('2')).toBe('leader');
    net.stabilize();
    expect(net.applied('3')).toEqual(['x']);
  });
});

describe('persist before send', () => {
  // Every promise in a Ready's messages is in the same Ready's hard state or entries.
  it('a granted vote is in the hard state of the Ready that carries the grant', () => {
    const net = new Network({ config: PAPER });
    net.step('2', { type: 'vote', from: '1', to: '2', term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    const rd = net.raw('2').ready();
    expect(rd.messages.map((m) => [m.type, m.type === 'vote-resp' && m.reject])).toEqual([['vote-resp', false]]);
    expect(rd.hardState).toEqual({ term: 1, vote: '1', commit: 0 });
    expect(rd.mustSync).toBe(true);
  });

  it("a candidate's own vote and new term are in the Ready that carries its vote requests", () => {
    const net = new Network({ config: PAPER });
    net.campaign('1');
    const rd = net.raw('1').ready();
    expect(rd.messages.filter((m) => m.type === 'vote')).toHaveLength(2);
    expect(rd.hardState).toEqual({ term: 1, vote: '1', commit: 0 });
    expect(rd.mustSync).toBe(true);
  });

  it("a follower's acknowledgement of entries is in the Ready that holds those entries", () => {
    const net = new Network({ config: PAPER });
    net.elect('1');
    net.propose('1', 'a');
    net.processReady('1');
    net.deliver((m) => m.to === '2');
    const rd = net.raw('2').ready();
    const ack = rd.messages.find((m) => m.type === 'app-resp');
    expect(ack?.type === 'app-resp' && !ack.reject && ack.index).toBe(2);
    expect(rd.entries.map((e) => e.index)).toEqual([2]);
    expect(rd.mustSync).toBe(true);
  });

  it('a pre-vote grant changes nothing durable', () => {
    const net = new Network();
    net.step('2', { type: 'pre-vote', from: '1', to: '2', term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    const rd = net.raw('2').ready();
    expect(rd.messages.map((m) => [m.type, m.term])).toEqual([['pre-vote-resp', 1]]);
    expect(rd.hardState).toBeNull();
    expect(rd.mustSync).toBe(false);
  });
});
