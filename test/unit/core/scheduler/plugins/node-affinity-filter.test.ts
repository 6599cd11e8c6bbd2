import { describe, expect, it } from 'vitest';
import type { NodeSelectorTerm } from '../../../../../core/api/index.js';
import { DEFAULT_REGISTRY, NODE_AFFINITY } from '../../../../../core/scheduler/index.js';
import type { FilterPlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, verdict } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[NODE_AFFINITY]!() as FilterPlugin<unknown>;
const MISMATCH = "node didn't match the pod's node selector/affinity";

const cache = cacheOf([
  makeNode('ssd-big', { labels: { disk: 'ssd', cores: '64', zone: 'a' } }),
  makeNode('hdd-small', { labels: { disk: 'hdd', cores: '8', zone: 'b' } }),
  makeNode('plain'),
]);

function required(...terms: NodeSelectorTerm[]) {
  return makePod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
}

describe('node-affinity filter', () => {
  it('skips pods with neither a node selector nor required node affinity', () => {
    expect(verdict(plugin, makePod('p'), 'plain', cache)).toBe('skipped');
    const preferredOnly = makePod('p', {
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [] } }] } },
    });
    expect(verdict(plugin, preferredOnly, 'plain', cache)).toBe('skipped');
  });

  it('requires every label of the node selector', () => {
    const pod = makePod('p', { nodeSelector: { disk: 'ssd', zone: 'a' } });
    expect(verdict(plugin, pod, 'ssd-big', cache)).toBe('ok');
    expect(verdict(plugin, pod, 'hdd-small', cache)).toBe(MISMATCH);
    expect(verdict(plugin, makePod('p', { nodeSelector: { disk: 'ssd', zone: 'b' } }), 'ssd-big', cache)).toBe(MISMATCH);
  });

  it('does not mistake Object.prototype members for labels', () => {
    expect(verdict(plugin, makePod('p', { nodeSelector: { constructor: 'x' } }), 'plain', cache)).toBe(MISMATCH);
    expect(verdict(plugin, required({ matchExpressions: [{ key: 'toString', operator: 'Exists' }] }), 'plain', cache)).toBe(MISMATCH);
  });

  it.each<[string, NodeSelectorTerm, string[]]>([
    ['In', { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }] }, ['ssd-big']],
    ['NotIn (absent key matches)', { matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] }, ['hdd-small', 'plain']],
    ['Exists', { matchExpressions: [{ key: 'disk', operator: 'Exists' }] }, ['ssd-big', 'hdd-small']],
    ['DoesNotExist', { matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }, ['plain']],
    ['Gt', { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }, ['ssd-big']],
    ['Lt', { matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['64'] }] }, ['hdd-small']],
    [
      'requirements ANDed',
      { matchExpressions: [{ key: 'disk', operator: 'Exists' }, { key: 'zone', operator: 'In', values: ['b'] }] },
      ['hdd-small'],
    ],
    ['an empty term matches nothing', { matchExpressions: [] }, []],
  ])('%s', (_name, term, expected) => {
    const pod = required(term);
    const passing = ['ssd-big', 'hdd-small', 'plain'].filter((n) => verdict(plugin, pod, n, cache) === 'ok');
    expect(passing).toEqual(expected);
  });

  it('ORs the terms', () => {
    const pod = required(
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
      { matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] },
    );
    expect(['ssd-big', 'hdd-small', 'plain'].map((n) => verdict(plugin, pod, n, cache))).toEqual(['ok', MISMATCH, 'ok']);
  });

  it('Gt and Lt do not match a non-integer label', () => {
    const c = cacheOf([makeNode('odd', { labels: { cores: 'many' } })]);
    expect(verdict(plugin, required({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1'] }] }), 'odd', c)).toBe(MISMATCH);
  });

  it('needs both the node selector and the affinity', () => {
    const pod = makePod('p', {
      nodeSelector: { disk: 'hdd' },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
    });
    expect(verdict(plugin, pod, 'ssd-big', cache)).toBe(MISMATCH);
    expect(verdict(plugin, pod, 'hdd-small', cache)).toBe(MISMATCH);
  });
});
