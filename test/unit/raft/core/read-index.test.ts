/**
 * Linearizable reads without writing the log (Raft thesis §6.4, ReadIndex):
 * the leader records its commit index, confirms with a round of heartbeats
 * that it is still the leader, and answers with that index.
 */
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../../../raft/core/index.js';
import { Network } from './network.js';

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => String(i + 1));

/** A cluster led by 1, with 'x' committed at index 2. */
const healthy = (size = 3): Network => {
  const net = new Network({ ids: ids(size) });
  expect(net.elect('1')).toBe('leader');
  net.propose('1', 'x');
  net.stabilize();
  return net;
};

describe('ReadIndex on the leader', () => {
  // The read is answered once a majority (the leader included) acknowledged a heartbeat carrying it.
  it.each([
    { size: 3, acks: [], answered: false },
    { size: 3, acks: ['2'], answered: true },
    { size: 3, acks: ['2', '3'], answered: true },
    { size: 5, acks: ['2'], answered: false },
    { size: 5, acks: ['2', '3'], answered: true },
  ])('$size voters, $acks acknowledge: answered=$answered', ({ size, acks, answered }) => {
    const net = healthy(size);
    expect(net.readIndex('1', 'ctx')).toEqual({ type: 'pending' });
    net.processReady('1');
    expect(net.node('1').readStates).toEqual([]);
    const hbs = net.queued((m) => m.type === 'heartbeat');
    expect(hbs.map((m) => m.type === 'heartbeat' && m.context)).toEqual(Array(size - 1).fill('ctx'));
    net.drop((m) => m.type === 'heartbeat-resp' && !acks.includes(m.from));
    net.stabilize();
    expect(net.node('1').readStates).toEqual(answered ? [{ index: 2, context: 'ctx' }] : []);
  });

  it('answers with the commit index at the time of the request, not a later one', () => {
    const net = healthy();
    net.readIndex('1', 'r');
    net.processReady('1');
    net.propose('1', 'y'); // commits (index 3) before the heartbeat acks come back
    net.stabilize();
    expect(net.node('1').readStates).toEqual([{ index: 2, context: 'r' }]);
  });

  it('an acknowledgement of a heartbeat sent before the request does not confirm it', () => {
    const net = healthy();
    net.tick('1'); // a heartbeat with no read context
    net.processReady('1');
    net.readIndex('1', 'r');
    net.deliver((m) => m.type === 'heartbeat' && m.context === '');
    net.processAllReady();
    net.deliver((m) => m.type === 'heartbeat-resp');
    net.processReady('1');
    expect(net.node('1').readStates).toEqual([]);
    net.stabilize(); // the heartbeats carrying 'r' confirm it
    expect(net.node('1').readStates).toEqual([{ index: 2, context: 'r' }]);
  });

  it('one round of acks for the latest read confirms every read before it, in order', () => {
    const net = healthy();
    net.readIndex('1', 'a');
    net.readIndex('1', 'b');
    net.processReady('1');
    net.discard((m) => m.type === 'heartbeat' && m.context === 'a');
    net.stabilize();
    expect(net.node('1').readStates.map((r) => r.context)).toEqual(['a', 'b']);
  });

  it('lost heartbeats are retried: the next heartbeat carries the pending read', () => {
    const net = healthy();
    net.readIndex('1', 'r');
    net.processReady('1');
    net.discard();
    expect(net.node('1').readStates).toEqual([]);
    net.tickAll(1);
    expect(net.node('1').readStates).toEqual([{ index: 2, context: 'r' }]);
  });

  it('a deposed leader that still believes it leads does not answer with its stale index', () => {
    const net = healthy();
    net.isolate('1');
    net.tick('2', 20); // 2's lease on 1 runs out; it campaigns
    net.tick('3', 10);
    net.stabilize();
    expect(net.leader()).toBe('2');
    net.propose('2', 'y');
    net.stabilize();
    expect(net.raft('2').log.committed).toBe(4);
    // 1 has not noticed (no election timeout has passed for it): a read there would see index 2.
    expect(net.raft('1').role).toBe('leader');
    net.readIndex('1', 'stale');
    net.stabilize();
    expect(net.node('1').readStates).toEqual([]);
    // Once it can reach the others, it learns of term 2 and steps down; the read is never answered.
    net.heal();
    net.tick('1');
    net.stabilize();
    expect(net.raft('1').role).toBe('follower');
    expect(net.node('1').readStates).toEqual([]);
  });

  it('a single voter answers at once, with no message', () => {
    const net = new Network({ ids: ['1'] });
    net.elect('1');
    net.readIndex('1', 'solo');
    net.processReady('1');
    expect(net.queue).toEqual([]);
    expect(net.node('1').readStates).toEqual([{ index: 1, context: 'solo' }]);
  });

  it('a leader that loses leadership before confirming never answers', () => {
    const net = healthy();
    net.readIndex('1', 'r');
    net.processReady('1');
    net.discard();
    net.step('1', { type: 'heartbeat', from: '2', to: '1', term: 2, commit: 2, context: '' });
    net.stabilize();
    expect(net.node('1').readStates).toEqual([]);
  });
});

describe('ReadIndex on a new leader', () => {
  it('waits until an entry of its term is committed, then answers with that commit index', () => {
    const net = healthy();
    net.crash('1');
    net.tick('3', 10); // 3's lease on 1 runs out
    // 2 wins term 2 but its no-op (index 3) is not acknowledged yet.
    const dropAcks = net.dropTypes('app-resp');
    expect(net.elect('2')).toBe('leader');
    expect([net.raft('2').log.committed, net.raft('2').log.lastIndex()]).toEqual([2, 3]);
    net.readIndex('2', 'r');
    net.stabilize();
    // Its commit index (2) may be behind what an earlier leader committed: no heartbeat carries the read yet.
    expect(net.sentWhere((m) => m.type === 'heartbeat' && m.context === 'r')).toEqual([]);
    expect(net.node('2').readStates).toEqual([]);
    dropAcks();
    net.tickAll(1);
    expect(net.raft('2').log.committed).toBe(3);
    expect(net.node('2').readStates).toEqual([{ index: 3, context: 'r' }]);
  });

  it('a single voter also waits for its no-op', () => {
    const net = new Network({ ids: ['1'] });
    net.campaign('1');
    net.readIndex('1', 'r');
    expect(net.node('1').readStates).toEqual([]);
    net.stabilize();
    expect(net.node('1').readStates).toEqual([{ index: 1, context: 'r' }]);
  });
});

describe('ReadIndex on a follower', () => {
  it('is forwarded to the leader and answered with the leader’s commit index', () => {
    const net = healthy();
    expect(net.readIndex('2', 'f')).toEqual({ type: 'pending' });
    net.processReady('2');
    expect(net.queued().map((m) => [m.type, m.to])).toEqual([['read-index', '1']]);
    net.stabilize();
    expect(net.node('2').readStates).toEqual([{ index: 2, context: 'f' }]);
    expect(net.node('1').readStates).toEqual([]);
  });

  it('without a known leader, it says so', () => {
    const net = new Network();
    expect(net.readIndex('2', 'f')).toEqual({ type: 'no-leader' });
  });

  it('a learner can read too', () => {
    const net = new Network({ ids: ['1', '2', '3', '4'], learners: ['4'] });
    net.elect('1');
    net.propose('1', 'x');
    net.stabilize();
    net.readIndex('4', 'l');
    net.stabilize();
    expect(net.node('4').readStates).toEqual([{ index: 2, context: 'l' }]);
  });
});
