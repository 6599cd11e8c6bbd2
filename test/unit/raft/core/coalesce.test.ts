/**
 * Proposals that arrive together leave the leader in one append per
 * follower: RawNode.ready() merges appends that continue each other.
 */
import { describe, expect, it } from 'vitest';
import { coalesceAppends } from '../../../../raft/core/coalesce.js';
import type { AppendMessage, Entry, Message } from '../../../../raft/core/index.js';
import { Network } from './network.js';

const entry = (index: number, term: number, bytes = 1): Entry => ({ index, term, type: 'normal', data: new Uint8Array(bytes) });
const app = (to: string, index: number, logTerm: number, entries: Entry[], commit: number, term = 2): AppendMessage => ({ type: 'app', from: '1', to, term, index, logTerm, entries, commit });

describe('coalescing appends', () => {
  it('merges appends to one follower that continue each other, keeping the later commit', () => {
    const out = coalesceAppends([app('2', 5, 2, [entry(6, 2)], 4), app('2', 6, 2, [entry(7, 2), entry(8, 2)], 5)], 1 << 20);
    expect(out).toEqual([app('2', 5, 2, [entry(6, 2), entry(7, 2), entry(8, 2)], 5)]);
  });

  it('merges an empty commit-only append into the one before it', () => {
    const out = coalesceAppends([app('2', 5, 2, [entry(6, 2)], 5), app('2', 6, 2, [], 6)], 1 << 20);
    expect(out).toEqual([app('2', 5, 2, [entry(6, 2)], 6)]);
  });

  it.each([
    { why: 'a gap', second: app('2', 7, 2, [entry(8, 2)], 5) },
    { why: 'another log term at the join', second: app('2', 6, 1, [entry(7, 2)], 5) },
    { why: 'another message term', second: app('2', 6, 2, [entry(7, 2)], 5, 3) },
  ])('keeps appends apart across $why', ({ second }) => {
    const first = app('2', 5, 2, [entry(6, 2)], 4);
    expect(coalesceAppends([first, second], 1 << 20)).toEqual([first, second]);
  });

  it('keeps each follower\'s messages in order and never merges across another kind of message', () => {
    const hb: Message = { type: 'heartbeat', from: '1', to: '2', term: 2, commit: 4, context: '' };
    const msgs: Message[] = [app('2', 5, 2, [entry(6, 2)], 4), app('3', 5, 2, [entry(6, 2)], 4), hb, app('2', 6, 2, [entry(7, 2)], 4), app('3', 6, 2, [entry(7, 2)], 4)];
    const out = coalesceAppends(msgs, 1 << 20);
    expect(out).toEqual([app('2', 5, 2, [entry(6, 2)], 4), app('3', 5, 2, [entry(6, 2), entry(7, 2)], 4), hb, app('2', 6, 2, [entry(7, 2)], 4)]);
  });

  it('stops merging at the byte limit', () => {
    const msgs = [1, 2, 3].map((i) => app('2', 5 + i - 1, 2, [entry(5 + i, 2, 100)], 4));
    // Each entry counts 100 bytes of data plus 24.
    const out = coalesceAppends(msgs, 250) as AppendMessage[];
    expect(out.map((m) => m.entries.map((e) => e.index))).toEqual([[6, 7], [8]]);
  });

  it('a burst of proposals goes to each follower as one append', () => {
    const net = new Network({ config: { preVote: false, checkQuorum: false } });
    net.elect('1');
    for (let i = 0; i < 10; i++) net.propose('1', `p${i}`);
    const rd = net.raw('1').ready();
    const apps = rd.messages.filter((m): m is AppendMessage => m.type === 'app');
    expect(apps.map((m) => [m.to, m.entries.length])).toEqual([
      ['2', 10],
      ['3', 10],
    ]);
  });
});
