import { describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRY, RESOURCES_FIT } from '../../../../../core/scheduler/index.js';
import type { FilterPlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, verdict } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[RESOURCES_FIT]!() as FilterPlugin<unknown>;

describe('resources-fit', () => {
  const cache = cacheOf(
    [makeNode('n', { cpu: '2', memory: '4Gi', pods: 3 })],
    [makePod('a', { nodeName: 'n', cpu: '1', memory: '1Gi' }), makePod('b', { nodeName: 'n', cpu: '500m', memory: '2Gi' })],
  );

  it('passes a pod that fits exactly in what is left', () => {
    expect(verdict(plugin, makePod('p', { cpu: '500m', memory: '1Gi' }), 'n', cache)).toBe('ok');
  });

  it('fails on cpu', () => {
    expect(verdict(plugin, makePod('p', { cpu: '501m' }), 'n', cache)).toBe('insufficient cpu');
  });

  it('fails on memory', () => {
    expect(verdict(plugin, makePod('p', { cpu: '100m', memory: '1025Mi' }), 'n', cache)).toBe('insufficient memory');
  });

  it('fails when the node has its allocatable number of pods', () => {
    const full = cacheOf([makeNode('n', { pods: 2 })], [makePod('a', { nodeName: 'n' }), makePod('b', { nodeName: 'n' })]);
    expect(verdict(plugin, makePod('p'), 'n', full)).toBe('too many pods');
  });

  it('counts 110 pods when allocatable names none', () => {
    const pods = Array.from({ length: 110 }, (_, i) => makePod(`p${i}`, { nodeName: 'n' }));
    expect(verdict(plugin, makePod('x'), 'n', cacheOf([makeNode('n')], pods.slice(0, 109)))).toBe('ok');
    expect(verdict(plugin, makePod('x'), 'n', cacheOf([makeNode('n')], pods))).toBe('too many pods');
  });

  it('checks nothing of a resource the pod does not request (no scoring defaults for fit)', () => {
    const noMemoryLeft = cacheOf([makeNode('n', { memory: '1Gi' })], [makePod('a', { nodeName: 'n', memory: '1Gi' })]);
    expect(verdict(plugin, makePod('p', { cpu: '1' }), 'n', noMemoryLeft)).toBe('ok');
    expect(verdict(plugin, makePod('p', { memory: '1' }), 'n', noMemoryLeft)).toBe('insufficient memory');
  });

  it('defaults a request to the limit', () => {
    const pod = makePod('p', { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '3' } } }] });
    expect(verdict(plugin, pod, 'n', cache)).toBe('insufficient cpu');
  });

  it('sums the requests of all containers', () => {
    const container = { name: 'c', image: 'i', resources: { requests: { cpu: '300m' } } };
    const pod = makePod('p', { containers: [container, { ...container, name: 'd' }] });
    expect(verdict(plugin, pod, 'n', cache)).toBe('insufficient cpu');
  });

  it('falls back to capacity when the node reports no allocatable', () => {
    const node = makeNode('n');
    node.status = { capacity: { cpu: '1', memory: '1Gi' }, conditions: [{ type: 'Ready', status: 'True' }] };
    const c = cacheOf([node]);
    expect(verdict(plugin, makePod('p', { cpu: '1' }), 'n', c)).toBe('ok');
    expect(verdict(plugin, makePod('p', { cpu: '1001m' }), 'n', c)).toBe('insufficient cpu');
  });

  it('frees the resources of finished pods', () => {
    const c = cacheOf([makeNode('n', { cpu: '1' })], [makePod('done', { nodeName: 'n', cpu: '1', phase: 'Succeeded' })]);
    expect(verdict(plugin, makePod('p', { cpu: '1' }), 'n', c)).toBe('ok');
  });
});
