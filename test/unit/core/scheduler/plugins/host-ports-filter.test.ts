import { describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRY, HOST_PORTS } from '../../../../../core/scheduler/index.js';
import type { FilterPlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, filterOn, makeNode, makePod, verdict } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[HOST_PORTS]!() as FilterPlugin<unknown>;

describe('host-ports filter', () => {
  const cache = cacheOf([makeNode('n'), makeNode('m')], [makePod('web', { nodeName: 'n', hostPorts: [8080, { port: 53, protocol: 'UDP' }] })]);

  it('skips pods without host ports', () => {
    expect(verdict(plugin, makePod('p'), 'n', cache)).toBe('skipped');
  });

  it('fails a node where the port is taken, naming it', () => {
    expect(filterOn(plugin, makePod('p', { hostPorts: [9090, 8080] }), 'n', cache)).toEqual({
      code: 'Unschedulable',
      reason: 'host port conflict',
      plugin: HOST_PORTS,
      detail: 'host port 8080/TCP',
    });
  });

  it('tells protocols apart', () => {
    expect(verdict(plugin, makePod('p', { hostPorts: [53] }), 'n', cache)).toBe('ok');
    expect(verdict(plugin, makePod('p', { hostPorts: [{ port: 53, protocol: 'UDP' }] }), 'n', cache)).toBe('host port conflict');
    expect(verdict(plugin, makePod('p', { hostPorts: [{ port: 8080, protocol: 'UDP' }] }), 'n', cache)).toBe('ok');
  });

  it('passes the same port on another node', () => {
    expect(verdict(plugin, makePod('p', { hostPorts: [8080] }), 'm', cache)).toBe('ok');
  });

  it('frees the port when the pod goes', () => {
    const own = cacheOf([makeNode('n')], [makePod('web', { nodeName: 'n', hostPorts: [8080] })]);
    expect(verdict(plugin, makePod('p', { hostPorts: [8080] }), 'n', own)).toBe('host port conflict');
    own.removePod('default/web');
    expect(verdict(plugin, makePod('p', { hostPorts: [8080] }), 'n', own)).toBe('ok');
  });
});
