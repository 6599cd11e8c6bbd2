import { describe, expect, it } from 'vitest';
import { formatDelay, mergeListing, nextBackoff, observe, sameJson, withExit, DEFAULT_RESTART_BACKOFF } from '../../../../nodes/pod-worker/index.js';
import type { ContainerExit } from '../../../../nodes/runtime/index.js';
import { info, T0 } from './fixtures.js';

const exitOf = (id: string, exitCode: number): ContainerExit => ({ type: 'exited', id, podUid: 'u', containerName: 'web', attempt: 0, exitCode, finishedAtMs: T0 + 5 });

describe('the observed containers', () => {
  it('applies an exit notice, and never moves an exited container back to running', () => {
    const running = info('web', 0, { id: 'a' });
    const ended = withExit(running, exitOf('a', 3));
    expect(ended).toMatchObject({ state: 'exited', exitCode: 3, finishedAtMs: T0 + 5 });
    // A listing taken before the exit arrives after it.
    expect(observe(ended, running, new Map())).toBe(ended);
  });

  it('applies an exit noticed before the container was known once it shows up', () => {
    const listed = mergeListing(new Map(), [info('web', 0, { id: 'b' })], new Map([['b', exitOf('b', 1)]]));
    expect(listed.get('b')).toMatchObject({ state: 'exited', exitCode: 1 });
  });

  it('forgets what a listing no longer shows', () => {
    const known = new Map([['gone', info('web', 0, { id: 'gone' })]]);
    expect([...mergeListing(known, [info('web', 1, { id: 'new' })], new Map()).keys()]).toEqual(['new']);
  });
});

describe('back-off helpers', () => {
  it.each([
    [250, '250ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [64_000, '1m4s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDelay(ms)).toBe(text);
  });

  it('gives the same entry for the same trouble, however often it is asked', () => {
    const first = nextBackoff(undefined, { key: 'exit:a', atMs: T0, ranMs: 10 }, DEFAULT_RESTART_BACKOFF);
    expect(nextBackoff(first, { key: 'exit:a', atMs: T0 + 99, ranMs: 10 }, DEFAULT_RESTART_BACKOFF)).toBe(first);
    expect(nextBackoff(first, { key: 'exit:b', atMs: T0 + 99, ranMs: 10 }, DEFAULT_RESTART_BACKOFF)).toEqual({ troubleKey: 'exit:b', delayMs: 2_000, restartAtMs: T0 + 2_099 });
  });
});

describe('status comparison', () => {
  it('ignores key order and undefined keys, but not values', () => {
    expect(sameJson({ a: 1, b: [{ c: 'x' }] }, { b: [{ c: 'x' }], a: 1, d: undefined })).toBe(true);
    expect(sameJson({ a: 1, b: [{ c: 'x' }] }, { a: 1, b: [{ c: 'y' }] })).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: {} }, { a: [] })).toBe(false);
  });
});
