/**
 * Leadership transfer (Raft thesis §3.10): the leader brings the target's log
 * up to date, then tells it to campaign at once (timeout-now); the target's
 * election in the next term skips pre-vote and breaks the others' leases.
 */
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../../../raft/core/index.js';
import { Network } from './network.js';

const ELECTION = 10;

/** A 3-replica cluster led by 1 with 'x' committed; 4 is a learner when `learner` is set. */
const healthy = (learner = false): Network => {
  const ids: NodeId[] = learner ? ['1', '2', '3', '4'] : ['1', '2', '3'];
  const net = new Network({ ids, learners: learner ? ['4'] : [], config: { electionTicks: ELECTION } });
  expect(net.elect('1')).toBe('leader');
  net.propose('1', 'x');
  net.stabilize();
  return net;
};

describe('leadership transfer', () => {
  it('to an up-to-date voter: timeout-now, and it leads the next term', () => {
    const net = healthy();
    const before = net.sent.length;
    net.transferLeader('1', '2');
    net.processReady('1');
    expect(net.queued().map((m) => [m.type, m.to])).toEqual([['timeout-now', '2']]);
    net.stabilize();
    expect([net.leader(), net.raft('2').term]).toEqual(['2', 2]);
    expect([net.raft('1').role, net.raft('1').lead]).toEqual(['follower', '2']);
    // No pre-vote: the leader asked for this election.
    const campaign = net.sent.slice(before).filter((m) => m.type === 'pre-vote' || m.type === 'vote');
    expect(campaign.map((m) => [m.type, m.to, m.term, m.type === 'vote' && m.transfer])).toEqual([
      ['vote', '1', 2, true],
      ['vote', '3', 2, true],
    ]);
  });

  it('to a lagging voter: it is caught up first, then told to campaign', () => {
    const net = healthy();
    net.isolate('3');
    net.propose('1', 'a', 'b');
    net.stabilize();
    net.heal();
    net.transferLeader('1', '3');
    net.processReady('1');
    expect(net.queued((m) => m.to === '3').map((m) => m.type)).toEqual(['app']);
    net.stabilize();
    expect(net.leader()).toBe('3');
    // timeout-now went out only once 3 held the leader's whole log.
    const order = net.sent.filter((m) => m.to === '3' && (m.type === 'app' || m.type === 'timeout-now')).map((m) => m.type);
    expect(order[order.length - 1]).toBe('timeout-now');
    expect(net.applied('3')).toEqual(['x', 'a', 'b']);
  });

  it('a follower forwards the request to the leader', () => {
    const net = healthy();
    net.transferLeader('2', '3');
    net.processReady('2');
    expect(net.queued().map((m) => [m.type, m.to])).toEqual([['transfer-leader', '1']]);
    net.stabilize();
    expect(net.leader()).toBe('3');
  });

  it('drops proposals and membership changes while the transfer is under way', () => {
    const net = healthy();
    net.isolate('3');
    net.transferLeader('1', '3');
    expect(net.raft('1').leadTransferee).toBe('3');
    expect(net.propose('1', 'y')).toEqual({ type: 'dropped', reason: 'leadership is moving to 3' });
    expect(net.proposeConfChange('1', { type: 'remove', node: '2' }).type).toBe('dropped');
  });

  it('is abandoned after an election timeout; the leader accepts proposals again', () => {
    const net = healthy();
    net.isolate('3');
    net.transferLeader('1', '3');
    net.tickAll(ELECTION - 1);
    expect(net.raft('1').leadTransferee).toBe('3');
    net.tickAll(1);
    expect([net.leader(), net.raft('1').leadTransferee, net.raft('1').term]).toEqual(['1', '', 1]);
    expect(net.propose('1', 'y').type).toBe('appended');
  });

  it('a new request for another target replaces a stuck one', () => {
    const net = healthy();
    net.isolate('3');
    net.transferLeader('1', '3');
    net.transferLeader('1', '2');
    net.stabilize();
    expect(net.leader()).toBe('2');
  });

  // Requests that cannot be served are ignored.
  it.each([
    { target: '1', why: 'itself' },
    { target: '4', why: 'a learner' },
    { target: '9', why: 'not a member' },
  ])('to $why ($target): ignored', ({ target }) => {
    const net = healthy(true);
    net.transferLeader('1', target);
    net.stabilize();
    expect([net.leader(), net.raft('1').leadTransferee, net.raft('1').term]).toEqual(['1', '', 1]);
    expect(net.sentWhere((m) => m.type === 'timeout-now')).toEqual([]);
  });

  it('a learner told to campaign does not', () => {
    const net = healthy(true);
    net.step('4', { type: 'timeout-now', from: '1', to: '4', term: 1 });
    expect([net.raft('4').role, net.raft('4').term]).toEqual(['follower', 1]);
  });
});
