import type { NodeId } from './types.js';

/** The largest index a majority of `voters` have (their match indexes). */
export function committedIndex(voters: readonly NodeId[], matchOf: (id: NodeId) => number): number {
  if (voters.length === 0) return Number.MAX_SAFE_INTEGER;
  const m = voters.map(matchOf).sort((a, b) => b - a);
  return m[Math.floor(voters.length / 2)]!;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** Tallies votes among `voters`: a majority of grants wins, of rejections loses. */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const need = Math.floor(voters.length / 2) + 1;
  let granted = 0;
  let rejected = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  if (granted >= need) return 'won';
  if (rejected >= need) return 'lost';
  return 'pending';
}

/** True when `ids` (those heard from) include a majority of `voters`. */
export function hasQuorum(voters: readonly NodeId[], ids: (id: NodeId) => boolean): boolean {
  return voters.filter(ids).length >= Math.floor(voters.length / 2) + 1;
}
