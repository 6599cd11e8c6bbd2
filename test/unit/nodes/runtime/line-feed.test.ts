import { describe, expect, it } from 'vitest';
import { LineFeed } from '../../../../nodes/runtime/line-feed.js';

function feed(max = 3): { feed: LineFeed; calls: string[] } {
  const calls: string[] = [];
  const f = new LineFeed({ pause: () => calls.push('pause'), resume: () => calls.push('resume'), close: () => calls.push('close') }, max);
  return { feed: f, calls };
}

describe('LineFeed', () => {
  it('hands pushed lines to a waiting next() and to later ones, in order', async () => {
    const { feed: f } = feed();
    const waiting = f.next();
    f.push('a');
    f.push('b');
    expect(await waiting).toEqual({ done: false, value: 'a' });
    expect(await f.next()).toEqual({ done: false, value: 'b' });
  });

  it('asks the producer to pause at the limit and to resume once drained', async () => {
    const { feed: f, calls } = feed(2);
    f.push('1');
    f.push('2');
    f.push('3');
    expect(calls).toEqual(['pause']);
    await f.next();
    await f.next();
    expect(calls).toEqual(['pause']);
    await f.next();
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('ends after what is buffered, and releases the source once', async () => {
    const { feed: f, calls } = feed();
    f.push('last');
    f.end();
    expect(await f.next()).toEqual({ done: false, value: 'last' });
    expect(await f.next()).toEqual({ done: true, value: undefined });
    expect(await f.next()).toEqual({ done: true, value: undefined });
    expect(calls).toEqual(['close']);
  });

  it('return() ends a next() that is waiting and releases the source', async () => {
    const { feed: f, calls } = feed();
    const waiting = f.next();
    await f.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    f.push('ignored');
    expect(await f.next()).toEqual({ done: true, value: undefined });
    expect(calls).toEqual(['close']);
  });

  it('a failure reaches the consumer after the buffered lines', async () => {
    const { feed: f } = feed();
    f.push('x');
    f.fail(new Error('stream broke'));
    expect(await f.next()).toEqual({ done: false, value: 'x' });
    await expect(f.next()).rejects.toThrow('stream broke');
    expect(await f.next()).toEqual({ done: true, value: undefined });
  });

  it('a failure reaches a waiting next()', async () => {
    const { feed: f } = feed();
    const waiting = f.next();
    f.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
  });
});
