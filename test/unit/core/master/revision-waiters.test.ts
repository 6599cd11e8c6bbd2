import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../actors/world/virtual-clock.js';
import { RevisionWaiters } from '../../../../core/master/revision-waiters.js';

describe('waiting for the local store to reach a revision', () => {
  it('resolves at once for a revision already applied, and when a later apply reaches it', async () => {
    const clock = new VirtualClock();
    const w = new RevisionWaiters(clock, 5);
    await expect(w.waitFor(5, 100)).resolves.toBe(true);
    const at7 = w.waitFor(7, 100);
    const at9 = w.waitFor(9, 100);
    w.reached(6);
    w.reached(8);
    await expect(at7).resolves.toBe(true);
    w.reached(9);
    await expect(at9).resolves.toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('resolves false after the timeout, and cancelAll ends every wait', async () => {
    const clock = new VirtualClock();
    const w = new RevisionWaiters(clock, 1);
    const late = w.waitFor(3, 50);
    expect(clock.fireNext()).toBe(true);
    await expect(late).resolves.toBe(false);
    const never = w.waitFor(10, 1_000);
    w.cancelAll();
    await expect(never).resolves.toBe(false);
    w.reached(10); // nothing left to resolve
  });
});
