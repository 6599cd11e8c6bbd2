import { describe, expect, it } from 'vitest';
import { formatSelector, isEmptySelector, matches, parseSelector, SelectorParseError } from '../../../../core/api/index.js';
import type { LabelSelector } from '../../../../core/api/index.js';

function parsed(text: string): LabelSelector {
  const result = parseSelector(text);
  if (!result.ok) throw result.error;
  return result.value;
}

describe('parseSelector', () => {
  it.each<[string, LabelSelector]>([
    ['', {}],
    ['   ', {}],
    ['app=web', { matchLabels: { app: 'web' } }],
    ['app==web', { matchLabels: { app: 'web' } }],
    ['app = web , tier = front', { matchLabels: { app: 'web', tier: 'front' } }],
    ['app=', { matchLabels: { app: '' } }],
    ['tier!=db', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }],
    ['env in (prod,staging)', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] }],
    ['env in ( prod , staging , prod )', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] }],
    ['env notin (dev)', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }],
    ['legacy', { matchExpressions: [{ key: 'legacy', operator: 'Exists' }] }],
    ['!legacy', { matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] }],
    ['drover.io/role=master', { matchLabels: { 'drover.io/role': 'master' } }],
    [
      'app=web,tier!=db,env in (prod,staging),!legacy',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['db'] },
          { key: 'env', operator: 'In', values: ['prod', 'staging'] },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
    ],
    // `in` is an operator only after a key; as a key it is a key.
    ['in in (a)', { matchExpressions: [{ key: 'in', operator: 'In', values: ['a'] }] }],
  ])('%j', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  // [text, 1-based column, rule]
  it.each<[string, number, string]>([
    ['app=web,,x', 9, 'expected a label key, found ","'],
    [',app', 1, 'expected a label key, found ","'],
    ['app=web,', 9, 'expected a label key, found the end of the selector'],
    ['app web', 5, 'expected an operator (=, ==, !=, in, notin)'],
    ['env in prod', 8, `expected '(', found "prod"`],
    ['env in ()', 9, 'expected a label value, found ")"'],
    ['env in (a,)', 11, 'expected a label value, found ")"'],
    ['env in (a b)', 11, `expected ',' or ')', found "b"`],
    ['env in (a', 10, 'expected \',\' or \')\', found the end of the selector'],
    ['app=web)', 8, `expected ',' or the end of the selector, found ")"`],
    ['app===web', 6, 'expected a label value, found "="'],
    ['-app=web', 1, 'label key "-app" must be a qualified name'],
    ['app=-web', 5, 'label value "-web" must be empty or at most 63'],
    ['app=a,app=b', 7, 'label key "app" is required to equal both "a" and "b"'],
    ['!', 2, 'expected a label key, found the end of the selector'],
  ])('%j fails at column %i', (text, column, rule) => {
    const result = parseSelector(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(SelectorParseError);
    expect(result.error.code).toBe('INVALID_SELECTOR');
    expect(result.error.column).toBe(column);
    expect(result.error.offset).toBe(column - 1);
    expect(result.error.rule.startsWith(rule), result.error.rule).toBe(true);
    expect(result.error.message).toContain(`invalid label selector ${JSON.stringify(text)} at column ${column}: `);
  });
});

describe('matches', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };

  it.each<[string, Record<string, string> | undefined, boolean]>([
    ['', labels, true],
    ['', undefined, true],
    ['app=web', labels, true],
    ['app=db', labels, false],
    ['app=web', undefined, false],
    ['app=', { app: '' }, true],
    ['app=', {}, false],
    ['tier!=db', labels, true],
    ['tier!=front', labels, false],
    ['tier!=db', {}, true], // != holds when the key is absent
    ['env in (prod,staging)', labels, true],
    ['env in (staging)', labels, false],
    ['env in (prod)', {}, false],
    ['env notin (dev)', labels, true],
    ['env notin (prod)', labels, false],
    ['env notin (prod)', {}, true],
    ['env', labels, true],
    ['zone', labels, false],
    ['!zone', labels, true],
    ['!env', labels, false],
    ['app=web,tier!=db,env in (prod,staging),!legacy', labels, true],
    ['app=web,tier!=db,env in (prod,staging),!legacy', { ...labels, legacy: 'true' }, false],
  ])('%j on %j -> %s', (text, have, expected) => {
    expect(matches(parsed(text), have)).toBe(expected);
  });

  it('ANDs matchLabels with matchExpressions', () => {
    const selector: LabelSelector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] };
    expect(matches(selector, { app: 'web', tier: 'front' })).toBe(true);
    expect(matches(selector, { app: 'web', tier: 'back' })).toBe(false);
    expect(matches(selector, { app: 'api', tier: 'front' })).toBe(false);
  });

  it('does not see inherited properties as labels', () => {
    expect(matches(parsed('toString'), {})).toBe(false);
    expect(matches(parsed('constructor=x'), {})).toBe(false);
  });
});

describe('formatSelector', () => {
  it.each([
    '',
    'app=web',
    'app=web,tier=front',
    'tier!=db',
    'env in (prod,staging)',
    'env notin (a,b)',
    'legacy',
    '!legacy',
    'app=web,tier!=db,env in (prod,staging),!legacy',
  ])('round-trips %j', (text) => {
    expect(formatSelector(parsed(text))).toBe(text);
    expect(parsed(formatSelector(parsed(text)))).toEqual(parsed(text));
  });

  it('sorts matchLabels by key', () => {
    expect(formatSelector({ matchLabels: { b: '2', a: '1' } })).toBe('a=1,b=2');
  });

  it('knows the empty selector', () => {
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(isEmptySelector(parsed('a'))).toBe(false);
  });
});
