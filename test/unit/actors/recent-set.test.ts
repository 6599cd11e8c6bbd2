import { describe, expect, it } from 'vitest';
import { RecentSet, isAskReplyPath } from '../../../actors/index.js';

describe('RecentSet (dropping duplicate deliveries)', () => {
  it('says a key seen before is a duplicate, and forgets the oldest beyond its capacity', () => {
    const s = new RecentSet(2);
    expect([s.add('a'), s.add('a'), s.add('b'), s.add('c')]).toEqual([true, false, true, true]);
    expect(s.size).toBe(2);
    expect(s.add('a')).toBe(true); // forgotten, so new again
    expect(s.add('c')).toBe(false);
    expect(() => new RecentSet(0)).toThrow(/capacity/);
  });

  it('knows an ask reply path from a long-lived actor path', () => {
    expect(isAskReplyPath('drover://m1/temp/$abc.1')).toBe(true);
    expect(isAskReplyPath('drover://m1/user/api')).toBe(false);
  });
});
