import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../../../core/api/index.js';
import { podsToDelete } from '../../../../../core/controllers/index.js';
import { pod, T0 } from '../fixtures.js';

describe('podsToDelete', () => {
  // Each row: the pod that goes first, then the one kept, differing in one respect.
  it.each<[string, Pod, Pod]>([
    ['unscheduled before scheduled', pod({ name: 'x', node: null, readySinceMs: null }), pod({ name: 'y', readySinceMs: null })],
    ['Pending before Running', pod({ name: 'x', phase: 'Pending', readySinceMs: null }), pod({ name: 'y', readySinceMs: null })],
    ['Unknown before Running', pod({ name: 'x', phase: 'Unknown' }), pod({ name: 'y' })],
    ['not ready before ready', pod({ name: 'x', readySinceMs: null }), pod({ name: 'y' })],
    ['ready for less time before ready for longer', pod({ name: 'x', readySinceMs: T0 - 1_000 }), pod({ name: 'y', readySinceMs: T0 - 60_000 })],
    ['more restarts first', pod({ name: 'x', restarts: 4 }), pod({ name: 'y', restarts: 1 })],
    ['newer before older', pod({ name: 'x', createdMs: T0 - 1_000 }), pod({ name: 'y', createdMs: T0 - 5_000 })],
  ])('%s', (_, first, kept) => {
    expect(podsToDelete([kept, first], 1).map((p) => p.metadata.name)).toEqual(['x']);
    expect(podsToDelete([first, kept], 1).map((p) => p.metadata.name)).toEqual(['x']);
  });

  it('ranks the earlier criterion above the later ones', () => {
    // Restarted many times but scheduled and ready, against a fresh pod that is not ready: the not-ready one goes.
    const crashy = pod({ name: 'crashy', restarts: 50 });
    const notReady = pod({ name: 'fresh', readySinceMs: null });
    expect(podsToDelete([crashy, notReady], 1).map((p) => p.metadata.name)).toEqual(['fresh']);
  });

  it('returns nothing for a count of 0 or less, and everything for a large count', () => {
    const pods = [pod({ name: 'a' }), pod({ name: 'b' })];
    expect(podsToDelete(pods, 0)).toEqual([]);
    expect(podsToDelete(pods, -1)).toEqual([]);
    expect(podsToDelete(pods, 5)).toHaveLength(2);
  });
});
