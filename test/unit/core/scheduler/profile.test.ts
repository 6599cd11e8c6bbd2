import { describe, expect, it } from 'vitest';
import { createFramework, DEFAULT_PROFILE, DEFAULT_REGISTRY, ProfileError, SUCCESS } from '../../../../core/scheduler/index.js';
import type { FilterPlugin, Registry } from '../../../../core/scheduler/index.js';

describe('createFramework', () => {
  it('builds the default profile: every filter, every score with its weight', () => {
    const fw = createFramework();
    expect(fw.profileName).toBe('default-scheduler');
    expect(fw.filterPlugins.map((p) => p.name)).toEqual(DEFAULT_PROFILE.filters);
    expect(fw.scorePlugins.map((s) => [s.plugin.name, s.weight])).toEqual([
      ['least-allocated', 1],
      ['owner-spread', 2],
      ['node-affinity-preferred', 2],
      ['pod-affinity-preferred', 2],
      ['taint-prefer-no-schedule', 3],
    ]);
  });

  it('lets a profile override weights and add plugins from its own registry', () => {
    const always = { name: 'always', filter: () => SUCCESS } satisfies FilterPlugin;
    const registry: Registry = { ...DEFAULT_REGISTRY, always: () => always };
    const fw = createFramework({ name: 'custom', filters: ['always'], scores: [{ name: 'least-allocated', weight: 5 }] }, registry);
    expect(fw.filterPlugins).toEqual([always]);
    expect(fw.scorePlugins.map((s) => s.weight)).toEqual([5]);
  });

  it.each([
    [{ name: 'x', filters: ['nope'], scores: [] }, 'UNKNOWN_PLUGIN'],
    [{ name: 'x', filters: ['toString'], scores: [] }, 'UNKNOWN_PLUGIN'],
    [{ name: 'x', filters: ['least-allocated'], scores: [] }, 'NOT_A_FILTER'],
    [{ name: 'x', filters: [], scores: [{ name: 'resources-fit' }] }, 'NOT_A_SCORE'],
    [{ name: 'x', filters: [], scores: [{ name: 'least-allocated', weight: 0 }] }, 'BAD_WEIGHT'],
  ])('refuses %j with %s', (profile, code) => {
    expect(() => createFramework(profile)).toThrow(ProfileError);
    expect(() => createFramework(profile)).toThrow(expect.objectContaining({ code, profileName: 'x' }));
  });
});
