import { describe, expect, it } from 'vitest';
import type { PodAffinityTerm } from '../../../../../core/api/index.js';
import { DEFAULT_REGISTRY, POD_AFFINITY } from '../../../../../core/scheduler/index.js';
import type { FilterPlugin } from '../../../../../core/scheduler/index.js';
import { cacheOf, makeNode, makePod, verdict } from '../fixtures.js';
import type { PodOptions } from '../fixtures.js';

const plugin = DEFAULT_REGISTRY[POD_AFFINITY]!() as FilterPlugin<unknown>;
const AFFINITY = "node didn't match pod affinity rules";
const ANTI = "node didn't match pod anti-affinity rules";
const EXISTING = "node didn't satisfy existing pods' anti-affinity rules";

const ZONE = 'zone';
const HOST = 'drover.io/hostname';
const NODES = ['a1', 'a2', 'b1', 'none'] as const;

// Zones a (a1, a2) and b (b1); `none` has no zone label.
function nodes() {
  return [
    makeNode('a1', { labels: { zone: 'a' } }),
    makeNode('a2', { labels: { zone: 'a' } }),
    makeNode('b1', { labels: { zone: 'b' } }),
    makeNode('none'),
  ];
}

function term(app: string, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { labelSelector: { matchLabels: { app } }, topologyKey, ...extra };
}

function withAffinity(terms: PodAffinityTerm[], o: PodOptions = {}) {
  return makePod('new', { ...o, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } });
}

function withAntiAffinity(terms: PodAffinityTerm[], o: PodOptions = {}) {
  return makePod('new', { ...o, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } });
}

function verdicts(pod: ReturnType<typeof makePod>, cache: ReturnType<typeof cacheOf>): Record<string, string> {
  return Object.fromEntries(NODES.map((n) => [n, verdict(plugin, pod, n, cache)]));
}

describe('pod-affinity filter', () => {
  it('skips pods without required terms while no placed pod has anti-affinity', () => {
    const cache = cacheOf(nodes(), [makePod('db', { nodeName: 'a1', labels: { app: 'db' } })]);
    expect(verdict(plugin, makePod('p'), 'a1', cache)).toBe('skipped');
  });

  describe('affinity', () => {
    const cache = cacheOf(nodes(), [makePod('db', { nodeName: 'a2', labels: { app: 'db' } })]);

    it('passes nodes in the domain of a selected pod, fails the others and nodes without the label', () => {
      expect(verdicts(withAffinity([term('db', ZONE)]), cache)).toEqual({ a1: 'ok', a2: 'ok', b1: AFFINITY, none: AFFINITY });
    });

    it('with the hostname key, only the node of the selected pod', () => {
      expect(verdicts(withAffinity([term('db', HOST)]), cache)).toEqual({ a1: AFFINITY, a2: 'ok', b1: AFFINITY, none: AFFINITY });
    });

    it('needs every term satisfied', () => {
      const c = cacheOf(nodes(), [makePod('db', { nodeName: 'a2', labels: { app: 'db' } }), makePod('cache', { nodeName: 'b1', labels: { app: 'cache' } })]);
      expect(verdicts(withAffinity([term('db', ZONE), term('cache', ZONE)]), c)).toEqual({ a1: AFFINITY, a2: AFFINITY, b1: AFFINITY, none: AFFINITY });
      expect(verdicts(withAffinity([term('db', ZONE), term('cache', HOST)]), c)).toEqual({ a1: AFFINITY, a2: AFFINITY, b1: AFFINITY, none: AFFINITY });
    });

    it('looks in the pod’s own namespace by default, in the listed ones otherwise', () => {
      const c = cacheOf(nodes(), [makePod('db', { nodeName: 'b1', namespace: 'data', labels: { app: 'db' } })]);
      expect(verdict(plugin, withAffinity([term('db', ZONE)], { labels: { app: 'web' } }), 'b1', c)).toBe(AFFINITY);
      expect(verdict(plugin, withAffinity([term('db', ZONE, { namespaces: ['data'] })]), 'b1', c)).toBe('ok');
    });

    it('counts assumed pods', () => {
      const c = cacheOf(nodes());
      c.assume(makePod('db', { labels: { app: 'db' } }), 'b1', 0);
      expect(verdict(plugin, withAffinity([term('db', ZONE)]), 'b1', c)).toBe('ok');
      expect(verdict(plugin, withAffinity([term('db', ZONE)]), 'a1', c)).toBe(AFFINITY);
    });

    it('lets the first pod of a self-affine group go to any node with the topology label', () => {
      const empty = cacheOf(nodes());
      const first = withAffinity([term('web', ZONE)], { labels: { app: 'web' } });
      expect(verdicts(first, empty)).toEqual({ a1: 'ok', a2: 'ok', b1: 'ok', none: AFFINITY });
      // Not self-affine: nowhere.
      expect(verdicts(withAffinity([term('web', ZONE)], { labels: { app: 'api' } }), empty)).toEqual({ a1: AFFINITY, a2: AFFINITY, b1: AFFINITY, none: AFFINITY });
      // Once one exists, the group sticks to its zone.
      empty.assume(makePod('web-0', { labels: { app: 'web' } }), 'b1', 0);
      expect(verdicts(first, empty)).toEqual({ a1: AFFINITY, a2: AFFINITY, b1: 'ok', none: AFFINITY });
    });
  });

  describe('anti-affinity', () => {
    const cache = cacheOf(nodes(), [makePod('web-0', { nodeName: 'a1', labels: { app: 'web' } })]);

    it('keeps out of the domain of a selected pod; nodes without the label pass', () => {
      expect(verdicts(withAntiAffinity([term('web', ZONE)]), cache)).toEqual({ a1: ANTI, a2: ANTI, b1: 'ok', none: 'ok' });
      expect(verdicts(withAntiAffinity([term('web', HOST)]), cache)).toEqual({ a1: ANTI, a2: 'ok', b1: 'ok', none: 'ok' });
    });

    it('matchExpressions selectors work too', () => {
      const pod = withAntiAffinity([{ labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, topologyKey: ZONE }]);
      expect(verdicts(pod, cache)).toEqual({ a1: ANTI, a2: ANTI, b1: 'ok', none: 'ok' });
      const notIn = withAntiAffinity([{ labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, topologyKey: ZONE }]);
      expect(verdicts(notIn, cache)).toEqual({ a1: 'ok', a2: 'ok', b1: 'ok', none: 'ok' });
    });

    it('an empty selector selects every pod of the namespace', () => {
      expect(verdicts(withAntiAffinity([{ labelSelector: {}, topologyKey: ZONE }]), cache)).toEqual({ a1: ANTI, a2: ANTI, b1: 'ok', none: 'ok' });
      expect(verdicts(withAntiAffinity([{ labelSelector: {}, topologyKey: ZONE }], { namespace: 'other' }), cache)).toEqual({ a1: 'ok', a2: 'ok', b1: 'ok', none: 'ok' });
    });
  });

  describe("existing pods' anti-affinity", () => {
    // web-0 on a1 will have no other `app=web` pod in its zone.
    const guard = makePod('web-0', {
      nodeName: 'a1',
      labels: { app: 'web' },
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } },
    });
    const cache = cacheOf(nodes(), [guard]);

    it('keeps a pod it selects out of its domain, even if the newcomer has no terms', () => {
      expect(verdicts(makePod('web-1', { labels: { app: 'web' } }), cache)).toEqual({ a1: EXISTING, a2: EXISTING, b1: 'ok', none: 'ok' });
    });

    it('leaves pods it does not select alone', () => {
      expect(verdict(plugin, makePod('api', { labels: { app: 'api' } }), 'a1', cache)).toBe('skipped');
      expect(verdict(plugin, makePod('web-x', { labels: { app: 'web' }, namespace: 'other' }), 'a1', cache)).toBe('skipped');
    });

    it('stops once the guarding pod is gone', () => {
      const c = cacheOf(nodes(), [guard]);
      c.removePod('default/web-0');
      expect(verdict(plugin, makePod('web-1', { labels: { app: 'web' } }), 'a1', c)).toBe('skipped');
    });
  });
});
