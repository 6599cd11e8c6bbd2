import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from '../../../../../core/api/index.js';
import { tolerates } from '../../../../../core/controllers/index.js';

const taint: Taint = { key: 'dedicated', value: 'db', effect: 'NoExecute' };

describe('tolerates', () => {
  it.each<[string, Toleration, boolean]>([
    ['Equal with the same key and value', { key: 'dedicated', value: 'db' }, true],
    ['Equal with another value', { key: 'dedicated', value: 'web' }, false],
    ['Exists on the key', { key: 'dedicated', operator: 'Exists' }, true],
    ['another key', { key: 'other', operator: 'Exists' }, false],
    ['the same effect', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, true],
    ['another effect', { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, false],
    ['an empty key with Exists: everything', { operator: 'Exists' }, true],
    ['an empty key with Equal: nothing', { value: 'db' }, false],
  ])('%s', (_, toleration, expected) => {
    expect(tolerates(toleration, taint)).toBe(expected);
  });

  it('a taint without a value matches Equal with an empty or absent value', () => {
    const bare: Taint = { key: 'k', effect: 'NoSchedule' };
    expect(tolerates({ key: 'k' }, bare)).toBe(true);
    expect(tolerates({ key: 'k', value: '' }, bare)).toBe(true);
    expect(tolerates({ key: 'k', value: 'v' }, bare)).toBe(false);
  });
});
