import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../../core/api/index.js';
import { findCondition, removeCondition, setCondition } from '../../../../core/controllers/index.js';

type C = Condition<'Ready' | 'Other'>;
const NOW = '2024-05-01T12:00:00.000Z';
const EARLIER = '2024-05-01T11:00:00.000Z';

describe('setCondition', () => {
  const ready: C = { type: 'Ready', status: 'True', reason: 'A', lastTransitionTime: EARLIER };
  const other: C = { type: 'Other', status: 'False', lastTransitionTime: EARLIER };

  it('keeps lastTransitionTime when the status is unchanged, taking the other fields', () => {
    const next = setCondition([ready, other], { type: 'Ready', status: 'True', reason: 'B', message: 'm' }, NOW);
    expect(next).toEqual([{ type: 'Ready', status: 'True', reason: 'B', message: 'm', lastTransitionTime: EARLIER }, other]);
  });

  it('moves lastTransitionTime when the status changes, ignoring one given', () => {
    const next = setCondition([ready], { type: 'Ready', status: 'False', lastTransitionTime: 'bogus' }, NOW);
    expect(next).toEqual([{ type: 'Ready', status: 'False', lastTransitionTime: NOW }]);
  });

  it('appends a condition of a new type, stamped now', () => {
    expect(setCondition([ready], { type: 'Other', status: 'True' }, NOW)).toEqual([ready, { type: 'Other', status: 'True', lastTransitionTime: NOW }]);
    expect(setCondition(undefined, { type: 'Other', status: 'True' }, NOW)).toHaveLength(1);
  });

  it('stamps now when the kept condition had no transition time', () => {
    expect(setCondition<C>([{ type: 'Ready', status: 'True' }], { type: 'Ready', status: 'True' }, NOW)[0]?.lastTransitionTime).toBe(NOW);
  });

  it('does not modify its input', () => {
    const list = [ready];
    setCondition(list, { type: 'Ready', status: 'False' }, NOW);
    expect(list).toEqual([ready]);
  });

  it('findCondition and removeCondition by type', () => {
    expect(findCondition([ready, other], 'Other')).toBe(other);
    expect(findCondition(undefined, 'Other')).toBeUndefined();
    expect(removeCondition([ready, other], 'Ready')).toEqual([other]);
  });
});
