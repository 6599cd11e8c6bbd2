/**
 * Persistent state (Raft §5, Figure 2): currentTerm, votedFor and the log
 * survive a crash; everything else is rebuilt. A replica restarted from its
 * storage keeps its promises.
 */
import { describe, expect, it } from 'vitest';
import { Network, type NodeConfig } from './network.js';

const PAPER: NodeConfig = { preVote: false, checkQuorum: false };

describe('restart', () => {
  it('keeps term, vote, log and commit index', () => {
    const net = new Network({ config: PAPER });
    net.elect('1');
    net.propose('1', 'a', 'b');
    net.stabilize();
    const before = net.raw('2').status();
    net.restart('2');
    const after = net.raw('2').status();
    expect([after.term, after.vote, after.lastIndex, after.commit, after.role, after.lead]).toEqual([before.term, before.vote, before.lastIndex, before.commit, 'follower', '']);
    expect([after.term, after.vote, after.lastIndex, after.commit]).toEqual([1, '1', 3, 3]);
    expect(net.logTerms('2')).toEqual([1, 1, 1]);
    // It re-applies what it knows is committed without waiting for the leader.
    expect(net.applied('2')).toEqual([]);
    net.processReady('2');
    expect(net.applied('2')).toEqual(['a', 'b']);
  });

  // 3 voted for 1 in term 1, then (maybe) crashed and restarted: it still refuses 2 in term 1.
  it.each([{ restarted: false }, { restarted: true }])('does not vote twice in a term (restarted=$restarted)', ({ restarted }) => {
    const net = new Network({ config: PAPER });
    net.campaign('1');
    net.processReady('1');
    net.deliver((m) => m.to === '3');
    net.processReady('3');
    net.discard();
    if (restarted) net.restart('3');
    expect([net.raft('3').term, net.raft('3').vote]).toEqual([1, '1']);
    net.step('3', { type: 'vote', from: '2', to: '3', term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    net.step('3', { type: 'vote', from: '1', to: '3', term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    net.processReady('3');
    expect(net.queued().map((m) => [m.to, m.type === 'vote-resp' && m.reject])).toEqual([
      ['2', true],
      ['1', false],
    ]);
  });

  it('a vote that was never persisted was never sent: after a crash the replica may vote anew', () => {
    const net = new Network({ config: PAPER });
    net.step('3', { type: 'vote', from: '1', to: '3', term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    expect(net.raft('3').vote).toBe('1');
    // Crash before the Ready was handled: nothing was persisted, and the grant was not sent.
    net.restart('3');
    expect(net.queue).toEqual([]);
    expect([net.raft('3').term, net.raft('3').vote]).toEqual([0, '']);
    net.step('3', { type: 'vote', from: '2', to: '3', term: 1, lastIndex: 0, lastTerm: 0, transfer: false });
    net.processReady('3');
    expect(net.queued().map((m) => [m.to, m.type === 'vote-resp' && m.reject])).toEqual([['2', false]]);
  });

  it('a restarted leader comes back as a follower of its term and rejoins', () => {
    const net = new Network();
    net.elect('1');
    net.propose('1', 'a');
    net.stabilize();
    net.restart('1');
    expect([net.raft('1').role, net.raft('1').term, net.raft('1').lead]).toEqual(['follower', 1, '']);
    net.tickAll(40);
    const l = net.leader()!;
    net.propose(l, 'b');
    net.stabilize();
    for (const id of ['1', '2', '3']) expect(net.applied(id)).toEqual(['a', 'b']);
  });

  it('an applied membership change is back after a restart once the log is re-applied', () => {
    const net = new Network();
    net.elect('1');
    net.addNode('4');
    net.proposeConfChange('1', { type: 'add-learner', node: '4' });
    net.stabilize();
    net.restart('2');
    // Until re-applied, the configuration is the bootstrap one; 2 will not campaign meanwhile.
    expect(net.raft('2').conf.learners).toEqual([]);
    net.tick('2', 40);
    expect(net.raft('2').role).toBe('follower');
    net.processReady('2');
    expect(net.raft('2').conf.learners).toEqual(['4']);
  });

  it('keeps the entries it acknowledged: a committed entry survives the crash of every replica', () => {
    const net = new Network();
    net.elect('1');
    net.propose('1', 'a');
    net.stabilize();
    for (const id of ['1', '2', '3']) net.restart(id);
    net.tickAll(40);
    const l = net.leader()!;
    net.propose(l, 'b');
    net.stabilize();
    for (const id of ['1', '2', '3']) expect(net.applied(id)).toEqual(['a', 'b']);
  });
});
