import { describe, expect, it } from 'vitest';
import { claimObjects } from '../../../../core/controllers/index.js';
import { pod, replicaSet, T0 } from './fixtures.js';

describe('claimObjects', () => {
  it('sorts candidates into claimed, adopted and released', () => {
    const rs = replicaSet();
    const mine = pod({ name: 'mine' });
    const orphan = pod({ name: 'orphan', owner: null });
    const strayed = pod({ name: 'strayed', labels: { app: 'other' } });
    const theirs = pod({ name: 'theirs', owner: { name: 'x', uid: 'x' } });
    const { claimed, adopted, released } = claimObjects(rs, rs.spec.selector, [mine, orphan, strayed, theirs]);
    expect(claimed.map((p) => p.metadata.name)).toEqual(['mine', 'orphan']);
    expect(adopted.map((p) => p.metadata.name)).toEqual(['orphan']);
    expect(released.map((p) => p.metadata.name)).toEqual(['strayed']);
  });

  it('an owner being deleted adopts nothing', () => {
    const rs = { ...replicaSet(), metadata: { ...replicaSet().metadata, deletionTimestamp: new Date(T0).toISOString() } };
    expect(claimObjects(rs, rs.spec.selector, [pod({ owner: null })]).adopted).toEqual([]);
  });
});
