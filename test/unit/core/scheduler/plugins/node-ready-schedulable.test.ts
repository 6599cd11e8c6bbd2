import { describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRY, NODE_READY_SCHEDULABLE, UNSCHEDULABLE_TAINT_KEY } from '../../../../../core/scheduler/index.js';
import type { FilterPlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, filterOn, makeNode, makePod, verdict } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[NODE_READY_SCHEDULABLE]!() as FilterPlugin<unknown>;

describe('node-ready-schedulable', () => {
  const cache = cacheOf([
    makeNode('ready'),
    makeNode('not-ready', { ready: false }),
    makeNode('cordoned', { unschedulable: true }),
    makeNode('cordoned-not-ready', { unschedulable: true, ready: false }),
  ]);

  it('passes a Ready, schedulable node', () => {
    expect(verdict(plugin, makePod('p'), 'ready', cache)).toBe('ok');
  });

  it('fails a node whose Ready condition is not True', () => {
    expect(verdict(plugin, makePod('p'), 'not-ready', cache)).toBe('node not ready');
    expect(verdict(plugin, makePod('p'), 'cordoned-not-ready', cache)).toBe('node not ready');
  });

  it('fails a node with no conditions at all', () => {
    const bare = makeNode('bare');
    delete bare.status!.conditions;
    expect(verdict(plugin, makePod('p'), 'bare', cacheOf([bare]))).toBe('node not ready');
  });

  it('fails a cordoned node, naming the plugin', () => {
    const status = filterOn(plugin, makePod('p'), 'cordoned', cache);
    expect(status).toEqual({ code: 'Unschedulable', reason: 'node unschedulable', plugin: NODE_READY_SCHEDULABLE });
  });

  it('lets a pod that tolerates the cordon taint onto a cordoned node, not onto a NotReady one', () => {
    const daemon = makePod('d', { tolerations: [{ key: UNSCHEDULABLE_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' }] });
    expect(verdict(plugin, daemon, 'cordoned', cache)).toBe('ok');
    expect(verdict(plugin, daemon, 'cordoned-not-ready', cache)).toBe('node not ready');
  });
});
