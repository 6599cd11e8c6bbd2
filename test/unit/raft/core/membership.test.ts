/**
 * Membership changes (Raft thesis §4.1, single-server changes): one change at
 * a time, taking effect when applied; learners that receive the log but
 * neither vote nor count towards commitment; promotion once caught up.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../../actors/world/random.js';
import { RawNode, type ConfChange, type NodeId } from '../../../../raft/core/index.js';
import { Network } from './network.js';

const ELECTION = 10;

const ids = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => String(i + 1));

/** A cluster of `size` voters led by 1, with 'x' committed. */
const healthy = (size = 3): Network => {
  const net = new Network({ ids: ids(size), config: { electionTicks: ELECTION } });
  expect(net.elect('1')).toBe('leader');
  net.propose('1', 'x');
  net.stabilize();
  return net;
};

/** Proposes a change on the leader and lets it commit and apply everywhere (heartbeats reach new members). */
const change = (net: Network, leader: NodeId, cc: ConfChange): void => {
  expect(net.proposeConfChange(leader, cc).type).toBe('appended');
  net.stabilize();
  net.tickAll(2);
};

/** A 3-voter cluster led by 1 where 4 has joined as a learner and caught up. */
const withLearner = (): Network => {
  const net = healthy();
  net.addNode('4');
  change(net, '1', { type: 'add-learner', node: '4' });
  return net;
};

describe('learners', () => {
  it('a learner added to the cluster receives the whole log', () => {
    const net = withLearner();
    for (const id of ['1', '2', '3', '4']) expect(net.raft(id).conf).toEqual({ voters: ['1', '2', '3'], learners: ['4'] });
    net.propose('1', 'y');
    net.stabilize();
    expect(net.applied('4')).toEqual(['x', 'y']);
    expect(net.node('4').sm).toEqual(net.node('1').sm);
  });

  it('a learner never campaigns and is never asked for its vote', () => {
    const net = withLearner();
    net.tick('4', 10 * ELECTION);
    expect([net.raft('4').role, net.raft('4').term]).toEqual(['follower', 1]);
    net.crash('1');
    net.tickAll(5 * ELECTION);
    expect(['2', '3']).toContain(net.leader());
    expect(net.sentWhere((m) => (m.type === 'vote' || m.type === 'pre-vote') && (m.to === '4' || m.from === '4'))).toEqual([]);
    expect(net.raft('4').lead).toBe(net.leader());
  });

  // Who holds an entry decides whether it commits; a learner never counts.
  it.each([
    { promoted: false, up: ['1', '4'], commits: false },
    { promoted: false, up: ['1', '2', '4'], commits: true },
    { promoted: true, up: ['1', '4'], commits: false },
    { promoted: true, up: ['1', '2', '4'], commits: true },
    { promoted: true, up: ['1', '2'], commits: false },
  ])('4 promoted=$promoted, up $up: the next entry commits=$commits', ({ promoted, up, commits }) => {
    const net = withLearner();
    if (promoted) change(net, '1', { type: 'add-voter', node: '4' });
    for (const id of ['2', '3', '4']) if (!up.includes(id)) net.crash(id);
    const res = net.propose('1', 'z');
    expect(res.type).toBe('appended');
    net.stabilize();
    const index = res.type === 'appended' ? res.lastIndex : 0;
    expect(net.raft('1').log.committed >= index).toBe(commits);
  });

  it('is promoted to voter once caught up, and then votes', () => {
    const net = withLearner();
    // The driver promotes a learner whose progress has reached the leader's log.
    const pr = net.raw('1').status().progress.get('4');
    expect(pr?.match).toBe(net.raft('1').log.lastIndex());
    change(net, '1', { type: 'add-voter', node: '4' });
    for (const id of ['1', '2', '3', '4']) expect(net.raft(id).conf).toEqual({ voters: ['1', '2', '3', '4'], learners: [] });
    net.crash('1');
    net.crash('2');
    // 3 and 4 are two of four voters: not enough.
    net.tickAll(5 * ELECTION);
    expect(net.leader()).toBeUndefined();
    net.restart('2');
    net.tickAll(5 * ELECTION);
    expect(['2', '3', '4']).toContain(net.leader());
    // 4 took part in the election, as candidate or voter.
    expect(net.sentWhere((m) => m.type === 'vote' && (m.to === '4' || m.from === '4')).length).toBeGreaterThan(0);
  });
});

describe('adding and removing voters', () => {
  it('after removing a voter, a majority of the smaller cluster commits', () => {
    const net = healthy(4);
    change(net, '1', { type: 'remove', node: '4' });
    for (const id of ['1', '2', '3']) expect(net.raft(id).conf.voters).toEqual(['1', '2', '3']);
    expect(net.raft('1').prs.has('4')).toBe(false);
    net.crash('3');
    // Two of three: commits. (Two of the old four would not have.)
    const res = net.propose('1', 'y');
    net.stabilize();
    expect(res.type === 'appended' && net.raft('1').log.committed >= res.lastIndex).toBe(true);
  });

  it('a removed replica hears nothing more', () => {
    const net = healthy(4);
    change(net, '1', { type: 'remove', node: '4' });
    const before = net.sent.length;
    net.propose('1', 'y');
    net.tickAll(3);
    expect(net.sent.slice(before).filter((m) => m.to === '4')).toEqual([]);
  });

  it('a leader that removes itself steps down once the change is applied, and never campaigns again', () => {
    const net = healthy();
    const before = net.sent.length;
    expect(net.proposeConfChange('1', { type: 'remove', node: '1' }).type).toBe('appended');
    net.stabilize();
    expect([net.raft('1').role, net.raft('1').conf.voters]).toEqual(['follower', ['2', '3']]);
    net.tickAll(5 * ELECTION);
    const l = net.leader();
    expect(['2', '3']).toContain(l);
    expect(net.sent.slice(before).filter((m) => m.from === '1' && (m.type === 'pre-vote' || m.type === 'vote'))).toEqual([]);
    net.propose(l!, 'y');
    net.stabilize();
    expect(net.applied('2')).toEqual(['x', 'y']);
  });

  it('a leader removing itself appends nothing more, so the remaining voter can be elected', () => {
    // Of {1, 2}, 1 removes itself. 2 learns of the change but not that it committed
    // (the append telling it is lost): 2 still counts 1 as a voter and needs its vote.
    const net = new Network({ ids: ['1', '2'], config: { electionTicks: ELECTION } });
    net.elect('1');
    const res = net.proposeConfChange('1', { type: 'remove', node: '1' });
    expect(res.type).toBe('appended');
    net.processReady('1');
    net.deliver();
    net.processReady('2');
    net.deliver(); // 2's ack: the removal commits on 1
    expect(net.raft('1').log.committed).toBe(res.type === 'appended' ? res.lastIndex : 0);
    // Had 1 appended this, its log would be longer than 2's and it would refuse 2 its vote.
    expect(net.propose('1', 'late')).toEqual({ type: 'dropped', reason: '1 is being removed from the cluster' });
    net.processReady('1'); // applies its removal and steps down
    expect(net.raft('1').role).toBe('follower');
    net.discard(); // the append carrying the new commit index is lost
    expect(net.raft('2').conf.voters).toEqual(['1', '2']);
    net.tickAll(5 * ELECTION);
    expect(net.leader()).toBe('2');
    expect(net.raft('2').conf.voters).toEqual(['2']);
    net.propose('2', 'y');
    net.stabilize();
    expect(net.applied('2')).toEqual(['y']);
  });

  it('a new leader whose log removes it (unapplied) appends nothing after its no-op', () => {
    const net = new Network({ ids: ['1', '2'], config: { electionTicks: ELECTION } });
    net.elect('2');
    // 2 proposes removing 1; the entry reaches 1 but does not commit; 2 crashes; 1 takes over.
    net.dropTypes('app-resp');
    expect(net.proposeConfChange('2', { type: 'remove', node: '1' }).type).toBe('appended');
    net.stabilize();
    net.heal();
    net.crash('2');
    net.restart('2');
    const noAcks = net.dropTypes('app-resp');
    net.tick('1', 2 * ELECTION);
    net.stabilize();
    expect(net.leader()).toBe('1');
    expect(net.propose('1', 'late')).toEqual({ type: 'dropped', reason: '1 is being removed from the cluster' });
    noAcks();
    net.tickAll(5 * ELECTION);
    expect(net.leader()).toBe('2');
    expect(net.raft('2').conf.voters).toEqual(['2']);
  });

  it('a voter added directly counts in the quorum as soon as the change is applied', () => {
    const net = healthy();
    net.addNode('4');
    change(net, '1', { type: 'add-voter', node: '4' });
    net.crash('4');
    net.crash('3');
    // Two of four.
    const res = net.propose('1', 'y');
    net.stabilize();
    expect(res.type === 'appended' && net.raft('1').log.committed < res.lastIndex).toBe(true);
  });
});

describe('joining', () => {
  it('a member joining with the bootstrap configuration rebuilds the cluster’s configuration from the log', () => {
    const net = withLearner(); // network.addNode gives 4 the bootstrap voters
    change(net, '1', { type: 'add-voter', node: '4' });
    expect(net.raft('4').conf).toEqual(net.raft('1').conf);
  });

  // KNOWN ISSUE (not fixed here): the bootstrap configuration is not in the log, only in
  // RaftConfig.voters. A joiner started with `voters: []` replays the log from index 1
  // from an empty configuration and, once promoted, believes it is the only voter: cut
  // off, it elects itself and commits alone. Fix by logging the bootstrap configuration
  // (as etcd's Bootstrap does) or by sending new members a snapshot; then drop `.fails`.
  it('a member cannot start without a configuration: a joiner passes the bootstrap voters', () => {
    const net = healthy();
    const joiner = net.addNode('4');
    expect(() => new RawNode({ id: '4', voters: [], random: new SeededRandom(4) }, joiner.storage)).toThrow(/bootstrap voters/);
    joiner.raw = new RawNode({ id: '4', voters: ['1', '2', '3'], random: new SeededRandom(4) }, joiner.storage);
    change(net, '1', { type: 'add-learner', node: '4' });
    change(net, '1', { type: 'add-voter', node: '4' });
    expect(net.raft('4').conf).toEqual({ voters: ['1', '2', '3', '4'], learners: [] });
  });
});

describe('one change at a time', () => {
  it('a second change is dropped until the first is applied', () => {
    const net = healthy();
    net.addNode('4');
    net.addNode('5');
    const first = net.proposeConfChange('1', { type: 'add-learner', node: '4' });
    expect(first.type).toBe('appended');
    const index = first.type === 'appended' ? first.lastIndex : 0;
    expect(net.proposeConfChange('1', { type: 'add-learner', node: '5' })).toEqual({
      type: 'dropped',
      reason: `a membership change (index ${index}) is not applied yet`,
    });
    // Committed is not enough: it must be applied on the leader.
    net.processReady('1');
    net.deliver();
    net.processAllReady();
    net.deliver();
    expect(net.raft('1').log.committed).toBe(index);
    expect(net.proposeConfChange('1', { type: 'add-learner', node: '5' }).type).toBe('dropped');
    net.processReady('1');
    expect(net.raft('1').log.applied).toBe(index);
    expect(net.proposeConfChange('1', { type: 'add-learner', node: '5' }).type).toBe('appended');
  });

  it('a new leader with uncommitted entries of an earlier term defers changes until they are applied', () => {
    const net = healthy();
    net.dropTypes('app-resp');
    net.propose('1', 'p'); // index 3 reaches 2 and 3 but is not committed
    net.stabilize();
    net.heal();
    net.crash('1');
    net.tick('3', ELECTION);
    // 2 wins term 2; its no-op (index 4) is not acknowledged yet.
    const noAcks = net.dropTypes('app-resp');
    expect(net.elect('2')).toBe('leader');
    expect([net.raft('2').log.applied, net.raft('2').log.lastIndex()]).toEqual([2, 4]);
    expect(net.proposeConfChange('2', { type: 'remove', node: '1' })).toEqual({ type: 'dropped', reason: 'a membership change (index 3) is not applied yet' });
    noAcks();
    net.tickAll(1);
    expect(net.raft('2').log.applied).toBe(4);
    expect(net.proposeConfChange('2', { type: 'remove', node: '1' }).type).toBe('appended');
  });

  it('a replica with a committed but unapplied change does not campaign', () => {
    const net = healthy();
    net.addNode('4');
    net.proposeConfChange('1', { type: 'add-learner', node: '4' });
    net.processReady('1');
    net.deliver();
    net.processAllReady();
    net.deliver(); // acks: 1 commits the change and tells 2 and 3
    net.processReady('1');
    net.deliver((m) => m.to === '2'); // 2 learns the commit index but does not apply yet
    net.crash('1');
    net.tick('2', 3 * ELECTION);
    expect(net.raft('2').role).toBe('follower');
    net.processReady('2'); // applies the change
    net.tick('2', 2 * ELECTION);
    expect(net.raft('2').role).not.toBe('follower');
  });
});

describe('invalid changes', () => {
  it.each([
    { cc: { type: 'add-voter', node: '2' }, reason: '2 is a voter already' },
    { cc: { type: 'add-learner', node: '2' }, reason: '2 is a voter; demotion is not supported' },
    { cc: { type: 'add-learner', node: '4' }, reason: '4 is a learner already' },
    { cc: { type: 'remove', node: '9' }, reason: '9 is not a member' },
  ] as const)('$cc.type $cc.node: dropped ($reason)', ({ cc, reason }) => {
    const net = new Network({ ids: ['1', '2', '3', '4'], learners: ['4'] });
    net.elect('1');
    expect(net.proposeConfChange('1', cc)).toEqual({ type: 'dropped', reason });
  });

  it('removing the last voter is refused', () => {
    const net = new Network({ ids: ['1'] });
    net.elect('1');
    expect(net.proposeConfChange('1', { type: 'remove', node: '1' })).toEqual({ type: 'dropped', reason: 'cannot remove the last voter 1' });
  });

  it('a follower does not propose changes; it names the leader', () => {
    const net = healthy();
    expect(net.proposeConfChange('2', { type: 'remove', node: '3' })).toEqual({ type: 'not-leader', leader: '1' });
  });
});
