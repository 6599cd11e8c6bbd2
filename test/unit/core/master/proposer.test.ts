import { describe, expect, it } from 'vitest';
import { AskTimeoutError } from '../../../../actors/index.js';
import { ApiError } from '../../../../core/grpc/index.js';
import { DEFAULT_PROPOSER_LIMITS, Proposer } from '../../../../core/master/proposer.js';
import type { ProposeBatchReply } from '../../../../raft/index.js';

interface Sent {
  readonly path: string;
  readonly datas: readonly Uint8Array[];
  answer(r: ProposeBatchReply): void;
  fail(e: unknown): void;
}

function harness(limits: Partial<typeof DEFAULT_PROPOSER_LIMITS> = {}) {
  const sent: Sent[] = [];
  let target = 'drover://m1/user/raft';
  let term = 1;
  const proposer = new Proposer(
    {
      send: (path, datas) => new Promise<ProposeBatchReply>((answer, fail) => sent.push({ path, datas, answer, fail })),
      target: () => target,
      term: () => term,
      unavailable: (why) => new ApiError('UNAVAILABLE', why),
      limits: { ...DEFAULT_PROPOSER_LIMITS, ...limits },
    },
    'drover://m2/user/raft',
  );
  const okAll = (s: Sent): void => s.answer({ ok: true, outcomes: s.datas.map((d, i) => ({ ok: true, index: 10 + i, result: d[0] })) });
  return { sent, proposer, okAll, setTarget: (t: string) => (target = t), setTerm: (t: number) => (term = t) };
}

const bytes = (n: number) => new Uint8Array([n]);
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('the proposer (group commit of one master\'s writes)', () => {
  it('sends a lone write at once and batches the writes that arrive while the window is full', async () => {
    const h = harness({ inFlightBatchesMax: 1 });
    const first = h.proposer.propose(bytes(1));
    await turn();
    expect(h.sent.map((s) => s.datas.length)).toEqual([1]);
    const rest = [2, 3, 4].map((n) => h.proposer.propose(bytes(n)));
    await turn();
    expect(h.sent).toHaveLength(1); // the window is full: they wait
    h.okAll(h.sent[0]!);
    await turn();
    expect(h.sent.map((s) => s.datas.length)).toEqual([1, 3]);
    h.okAll(h.sent[1]!);
    expect(await first).toEqual({ outcome: { ok: true, index: 10, result: 1 }, remote: true });
    expect((await Promise.all(rest)).map((p) => p.outcome)).toEqual([
      { ok: true, index: 10, result: 2 },
      { ok: true, index: 11, result: 3 },
      { ok: true, index: 12, result: 4 },
    ]);
  });

  // One batch is stuck at a leader that died; a second write waits behind it
  // (a window of one) until leadership moves, then goes on its own.
  it.each([
    {
      name: 'to the new one',
      move: (h: ReturnType<typeof harness>) => h.setTarget('drover://m3/user/raft'),
      paths: ['drover://m1/user/raft', 'drover://m3/user/raft'],
    },
    {
      // m1 died and came back; it leads again in a later term, at the same path.
      name: 'when the same master leads again',
      move: (h: ReturnType<typeof harness>) => h.setTerm(3),
      paths: ['drover://m1/user/raft', 'drover://m1/user/raft'],
    },
  ])('does not let batches stuck at a leader that died hold back writes $name', async ({ move, paths }) => {
    const h = harness({ inFlightBatchesMax: 1 });
    const stuck = h.proposer.propose(bytes(1));
    await turn();
    const waiting = h.proposer.propose(bytes(2));
    await turn();
    expect(h.sent).toHaveLength(1);
    move(h);
    h.proposer.kick();
    await turn();
    expect(h.sent.map((s) => s.path)).toEqual(paths);
    h.okAll(h.sent[1]!);
    expect((await waiting).outcome.ok).toBe(true);
    // The stuck one times out: its outcome is unknown, not unavailable.
    h.sent[0]!.fail(new AskTimeoutError('drover://m1/user/raft', 'propose-batch', 5_000));
    await expect(stuck).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it('follows a NOT_LEADER hint (nothing was appended) and says UNAVAILABLE once the attempts run out', async () => {
    const h = harness({ attemptsMax: 2 });
    const w = h.proposer.propose(bytes(1));
    await turn();
    h.sent[0]!.answer({ ok: false, code: 'NOT_LEADER', leader: 'm3', leaderPath: 'drover://m3/user/raft' });
    await turn();
    expect(h.sent[1]!.path).toBe('drover://m3/user/raft');
    h.sent[1]!.answer({ ok: false, code: 'NOT_LEADER', leader: 'm1', leaderPath: 'drover://m1/user/raft' });
    await expect(w).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('knows when its own replica leads (no catch-up wait needed)', async () => {
    const h = harness();
    h.setTarget('drover://m2/user/raft');
    const w = h.proposer.propose(bytes(7));
    await turn();
    h.okAll(h.sent[0]!);
    expect((await w).remote).toBe(false);
  });

  it('splits batches at the entry limit and fails what waits when closed', async () => {
    const h = harness({ inFlightBatchesMax: 2, batchEntriesMax: 2 });
    const ws = [1, 2, 3, 4, 5].map((n) => h.proposer.propose(bytes(n)));
    await turn();
    expect(h.sent.map((s) => s.datas.length)).toEqual([2, 2]);
    h.proposer.close();
    await expect(ws[4]).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(h.proposer.propose(bytes(6))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
