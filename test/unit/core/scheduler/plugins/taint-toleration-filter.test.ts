import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from '../../../../../core/api/index.js';
import { DEFAULT_REGISTRY, TAINT_TOLERATION, toleratesTaint } from '../../../../../core/scheduler/index.js';
import type { FilterPlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, filterOn, makeNode, makePod, verdict } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[TAINT_TOLERATION]!() as FilterPlugin<unknown>;

const gpu: Taint = { key: 'gpu', value: 'true', effect: 'NoSchedule' };
const draining: Taint = { key: 'draining', effect: 'NoExecute' };
const soft: Taint = { key: 'spot', value: 'yes', effect: 'PreferNoSchedule' };

describe('toleratesTaint', () => {
  it.each<[string, Toleration, Taint, boolean]>([
    ['Equal with key and value', { key: 'gpu', operator: 'Equal', value: 'true' }, gpu, true],
    ['Equal is the default operator', { key: 'gpu', value: 'true' }, gpu, true],
    ['Equal with another value', { key: 'gpu', value: 'false' }, gpu, false],
    ['Equal with no value against a valued taint', { key: 'gpu' }, gpu, false],
    ['Equal with no value against an unvalued taint', { key: 'draining' }, draining, true],
    ['Exists ignores the value', { key: 'gpu', operator: 'Exists' }, gpu, true],
    ['Exists with another key', { key: 'tpu', operator: 'Exists' }, gpu, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, draining, true],
    ['empty key without Exists tolerates nothing', { value: 'true' }, gpu, false],
    ['matching effect', { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, gpu, true],
    ['other effect', { key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    ['empty effect matches every effect', { key: 'draining', operator: 'Exists' }, draining, true],
  ])('%s', (_name, toleration, taint, expected) => {
    expect(toleratesTaint(toleration, taint)).toBe(expected);
  });
});

describe('taint-toleration filter', () => {
  const cache = cacheOf([
    makeNode('clean'),
    makeNode('gpu', { taints: [gpu] }),
    makeNode('draining', { taints: [draining] }),
    makeNode('soft', { taints: [soft] }),
    makeNode('both', { taints: [gpu, draining] }),
  ]);

  it('passes an untainted node', () => {
    expect(verdict(plugin, makePod('p'), 'clean', cache)).toBe('ok');
  });

  it('keeps pods off NoSchedule and NoExecute taints they do not tolerate, naming the taint', () => {
    expect(filterOn(plugin, makePod('p'), 'gpu', cache)).toEqual({
      code: 'Unschedulable',
      reason: 'taint not tolerated',
      plugin: TAINT_TOLERATION,
      detail: 'taint gpu=true:NoSchedule',
    });
    expect(filterOn(plugin, makePod('p'), 'draining', cache)).toMatchObject({ reason: 'taint not tolerated', detail: 'taint draining:NoExecute' });
  });

  it('ignores PreferNoSchedule taints', () => {
    expect(verdict(plugin, makePod('p'), 'soft', cache)).toBe('ok');
  });

  it('passes a pod that tolerates every hard taint, and only then', () => {
    const one = makePod('p', { tolerations: [{ key: 'gpu', operator: 'Exists' }] });
    expect(verdict(plugin, one, 'gpu', cache)).toBe('ok');
    expect(filterOn(plugin, one, 'both', cache)).toMatchObject({ detail: 'taint draining:NoExecute' });
    const both = makePod('p', { tolerations: [{ key: 'gpu', operator: 'Exists' }, { key: 'draining', effect: 'NoExecute' }] });
    expect(verdict(plugin, both, 'both', cache)).toBe('ok');
    expect(verdict(plugin, makePod('p', { tolerations: [{ operator: 'Exists' }] }), 'both', cache)).toBe('ok');
  });
});
