import { describe, expect, it } from 'vitest';
import {
  createFramework,
  DEFAULT_REGISTRY,
  errorStatus,
  formatUnschedulableMessage,
  run,
  schedulePod,
  SKIP,
  SUCCESS,
  TieBreakError,
  unschedulable,
} from '../../../../core/scheduler/index.js';
import type { FilterPlugin, Registry, ScheduleResult, ScorePlugin } from '../../../../core/scheduler/index.js';
import { cacheOf, firstPick, makeNode, makePod, seededPick } from './fixtures.js';

const framework = createFramework();

function identicalNodes(n: number) {
  return Array.from({ length: n }, (_, i) => makeNode(`n${String(i).padStart(4, '0')}`));
}

function scheduled(result: ScheduleResult) {
  if (result.type !== 'scheduled') throw new Error(`expected scheduled, got ${JSON.stringify(result)}`);
  return result;
}

describe('schedulePod: unschedulable', () => {
  it('explains like kube-scheduler: counts per reason, most first', () => {
    const cache = cacheOf(
      [makeNode('a', { memory: '1Gi' }), makeNode('b', { memory: '1Gi' }), makeNode('c', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] })],
    );
    const result = schedulePod(makePod('p', { memory: '2Gi' }), cache, { framework, pick: firstPick });
    expect(result.type).toBe('unschedulable');
    if (result.type !== 'unschedulable') return;
    expect(result.message).toBe('0/3 nodes are available: 2 insufficient memory, 1 taint not tolerated.');
    expect(result.reasons).toEqual([
      { reason: 'insufficient memory', count: 2 },
      { reason: 'taint not tolerated', count: 1 },
    ]);
    expect(result.nodeStatuses.get('c')).toMatchObject({ plugin: 'taint-toleration', detail: 'taint gpu:NoSchedule' });
    expect(result.nodeStatuses.get('a')).toMatchObject({ plugin: 'resources-fit', reason: 'insufficient memory' });
    expect(result.evaluatedNodes).toBe(3);
  });

  it('orders reasons with equal counts by name', () => {
    const cache = cacheOf([makeNode('a', { ready: false }), makeNode('b', { cpu: '1' }), makeNode('c', { unschedulable: true }), makeNode('d', { ready: false })]);
    const result = schedulePod(makePod('p', { cpu: '2' }), cache, { framework, pick: firstPick });
    expect(result.type === 'unschedulable' && result.message).toBe('0/4 nodes are available: 2 node not ready, 1 insufficient cpu, 1 node unschedulable.');
  });

  it('reports an empty cluster', () => {
    const result = schedulePod(makePod('p'), cacheOf([]), { framework, pick: firstPick });
    expect(result).toMatchObject({ type: 'unschedulable', message: '0/0 nodes are available: no nodes are registered.', reasons: [] });
  });

  it('formats a message with no reasons', () => {
    expect(formatUnschedulableMessage(0, [])).toBe('0/0 nodes are available.');
  });

  it('reports the first failing filter of the profile for each node', () => {
    // Not ready and too small: node-ready-schedulable runs first.
    const cache = cacheOf([makeNode('a', { ready: false, cpu: '1' })]);
    const result = schedulePod(makePod('p', { cpu: '2' }), cache, { framework, pick: firstPick });
    expect(result.type === 'unschedulable' && result.reasons).toEqual([{ reason: 'node not ready', count: 1 }]);
  });
});

describe('schedulePod: choosing', () => {
  it('places the pod on the best-scoring node, whatever the tie breaker says', () => {
    const cache = cacheOf([makeNode('busy'), makeNode('idle'), makeNode('half')], [
      makePod('x', { nodeName: 'busy', cpu: '3500m', memory: '7Gi' }),
      makePod('y', { nodeName: 'half', cpu: '2', memory: '4Gi' }),
    ]);
    for (const pick of [firstPick, (n: number) => n - 1]) {
      expect(scheduled(schedulePod(makePod('p', { cpu: '100m' }), cache, { framework, pick })).nodeName).toBe('idle');
    }
  });

  it('skips scoring when a single node is feasible, and does not consult the tie breaker', () => {
    const cache = cacheOf([makeNode('a', { ready: false }), makeNode('b'), makeNode('c', { ready: false })]);
    const result = schedulePod(makePod('p'), cache, {
      framework,
      pick: () => {
        throw new Error('pick called');
      },
    });
    expect(result).toEqual({ type: 'scheduled', nodeName: 'b', feasibleNodes: 1, evaluatedNodes: 3, nextStartNodeIndex: 0 });
  });

  it('breaks ties with pick(n), n being the number of tied nodes, in walk order', () => {
    const cache = cacheOf(identicalNodes(5));
    const asked: number[] = [];
    const result = schedulePod(makePod('p'), cache, { framework, startNodeIndex: 3, pick: (n) => (asked.push(n), 2) });
    expect(asked).toEqual([5]);
    // Walk order from 3: n0003, n0004, n0000, n0001, ... -> the third is n0000.
    expect(scheduled(result).nodeName).toBe('n0000');
  });

  it('refuses a tie breaker that answers out of range', () => {
    const cache = cacheOf(identicalNodes(3));
    expect(() => schedulePod(makePod('p'), cache, { framework, pick: () => 3 })).toThrow(TieBreakError);
    expect(() => schedulePod(makePod('p'), cache, { framework, pick: () => 0.5 })).toThrow(TieBreakError);
  });

  it('is deterministic for a given pick function', () => {
    const run = (seed: number) => {
      const cache = cacheOf(identicalNodes(20));
      const pick = seededPick(seed);
      const placed: string[] = [];
      let start = 0;
      for (let i = 0; i < 30; i++) {
        const pod = makePod(`p${i}`, { cpu: '100m' });
        const result = scheduled(schedulePod(pod, cache, { framework, pick, startNodeIndex: start }));
        start = result.nextStartNodeIndex;
        cache.assume(pod, result.nodeName, 0);
        placed.push(result.nodeName);
      }
      return placed;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('weights the scores of the plugins', () => {
    const prefers = (name: string, nodeName: string, weight: number) =>
      ({ name, weight, score: (_s, _p, node) => (node.name === nodeName ? 100 : 0) }) satisfies ScorePlugin;
    const registry: Registry = { ...DEFAULT_REGISTRY, x: () => prefers('x', 'x', 1), y: () => prefers('y', 'y', 3) };
    const cache = cacheOf([makeNode('x'), makeNode('y')]);
    const fw = createFramework({ name: 't', filters: [], scores: [{ name: 'x' }, { name: 'y' }] }, registry);
    expect(scheduled(schedulePod(makePod('p'), cache, { framework: fw, pick: firstPick })).nodeName).toBe('y');
    const fw2 = createFramework({ name: 't', filters: [], scores: [{ name: 'x', weight: 4 }, { name: 'y' }] }, registry);
    expect(scheduled(schedulePod(makePod('p'), cache, { framework: fw2, pick: firstPick })).nodeName).toBe('x');
  });
});

describe('schedulePod: cutoff and rotation', () => {
  it('stops filtering once enough feasible nodes are found (adaptive share of a big cluster)', () => {
    const cache = cacheOf(identicalNodes(250));
    const result = scheduled(schedulePod(makePod('p'), cache, { framework, pick: firstPick }));
    expect([result.feasibleNodes, result.evaluatedNodes, result.nextStartNodeIndex]).toEqual([120, 120, 120]);
  });

  it('counts the nodes that failed in the evaluated ones', () => {
    const nodes = identicalNodes(250).map((n, i) => (i % 2 === 0 ? makeNode(n.metadata.name, { ready: false }) : n));
    const result = scheduled(schedulePod(makePod('p'), cacheOf(nodes), { framework, pick: firstPick }));
    expect([result.feasibleNodes, result.evaluatedNodes]).toEqual([120, 240]);
  });

  it('scores every node when asked to', () => {
    const result = scheduled(schedulePod(makePod('p'), cacheOf(identicalNodes(250)), { framework, pick: firstPick, percentageOfNodesToScore: 100 }));
    expect([result.feasibleNodes, result.evaluatedNodes, result.nextStartNodeIndex]).toEqual([250, 250, 0]);
  });

  it('starts each cycle where the previous stopped, wrapping around', () => {
    const cache = cacheOf(identicalNodes(250));
    const starts: number[] = [];
    const chosen: string[] = [];
    let start = 0;
    for (let i = 0; i < 4; i++) {
      starts.push(start);
      const result = scheduled(schedulePod(makePod(`p${i}`), cache, { framework, pick: firstPick, startNodeIndex: start }));
      chosen.push(result.nodeName);
      start = result.nextStartNodeIndex;
    }
    expect(starts).toEqual([0, 120, 240, 110]);
    // All nodes tie (nothing placed), so the first node walked wins: the start.
    expect(chosen).toEqual(['n0000', 'n0120', 'n0240', 'n0110']);
  });

  it('finds the feasible nodes beyond the wrap', () => {
    const nodes = identicalNodes(150).map((n, i) => (i >= 20 && i < 140 ? makeNode(n.metadata.name, { ready: false }) : n));
    // 150 nodes: 100 to find, but only 30 are ready; starting at 130 walks all.
    const result = scheduled(schedulePod(makePod('p'), cacheOf(nodes), { framework, pick: firstPick, startNodeIndex: 130 }));
    expect([result.feasibleNodes, result.evaluatedNodes, result.nextStartNodeIndex]).toEqual([30, 150, 130]);
    expect(result.nodeName).toBe('n0140');
  });

  it('takes a start index beyond the node count modulo the count', () => {
    const result = scheduled(schedulePod(makePod('p'), cacheOf(identicalNodes(5)), { framework, pick: firstPick, startNodeIndex: 12 }));
    expect(result.nodeName).toBe('n0002');
  });
});

describe('schedulePod: the framework contract', () => {
  it('does not call the filter of a plugin whose preFilter skips, and calls preFilter once per cycle', () => {
    let preFilters = 0;
    let filters = 0;
    const skipping = {
      name: 'skipping',
      preFilter: () => (preFilters++, SKIP),
      filter: () => (filters++, unschedulable('skipping', 'never')),
    } satisfies FilterPlugin;
    const counting = {
      name: 'counting',
      preFilter: () => (preFilters++, run(7)),
      filter: (state: number) => (filters++, state === 7 ? SUCCESS : unschedulable('counting', 'lost its state')),
    } satisfies FilterPlugin<number>;
    const registry: Registry = { skipping: () => skipping, counting: () => counting };
    const fw = createFramework({ name: 't', filters: ['skipping', 'counting'], scores: [] }, registry);
    const result = schedulePod(makePod('p'), cacheOf(identicalNodes(4)), { framework: fw, pick: firstPick });
    expect(result.type).toBe('scheduled');
    expect([preFilters, filters]).toEqual([2, 4]);
  });

  it('stops the cycle on an Error status', () => {
    const broken = { name: 'broken', filter: (_s, _p, node) => (node.name === 'n0001' ? errorStatus('broken', 'lost the index') : SUCCESS) } satisfies FilterPlugin;
    const fw = createFramework({ name: 't', filters: ['broken'], scores: [] }, { broken: () => broken });
    expect(schedulePod(makePod('p'), cacheOf(identicalNodes(3)), { framework: fw, pick: firstPick })).toEqual({
      type: 'error',
      plugin: 'broken',
      message: 'lost the index',
      nodeName: 'n0001',
      nextStartNodeIndex: 0,
    });
  });

  it('clamps and floors plugin scores into [0, 100]', () => {
    const wild = { name: 'wild', weight: 1, score: (_s, _p, node) => (node.name === 'n0000' ? 1e9 : node.name === 'n0001' ? 100.9 : -5) } satisfies ScorePlugin;
    const fw = createFramework({ name: 't', filters: [], scores: [{ name: 'wild' }] }, { wild: () => wild });
    const asked: number[] = [];
    const result = schedulePod(makePod('p'), cacheOf(identicalNodes(3)), { framework: fw, pick: (n) => (asked.push(n), 1) });
    expect(asked).toEqual([2]); // n0000 and n0001 tie at 100
    expect(scheduled(result).nodeName).toBe('n0001');
  });
});
