import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../../../nodes/runtime/deadline.js';
import { RuntimeError, portEnvName } from '../../../../nodes/runtime/index.js';
import { iteratorOf, lazyIterable } from '../../../../nodes/runtime/lazy-iterable.js';
import { LineSplitter } from '../../../../nodes/runtime/line-splitter.js';
import { EXEC_OUTPUT_MAX_BYTES, OutputCollector } from '../../../../nodes/runtime/output-limit.js';
import { portEnv } from '../../../../nodes/runtime/port-env.js';
import { ManualClock } from './manual-clock.js';

describe('port env', () => {
  it('names DROVER_PORT_<containerPort> after the container port and holds the port to listen on', () => {
    expect(portEnvName(8080)).toBe('DROVER_PORT_8080');
    expect(portEnv({ 80: 41_233, 9090: 9090 })).toEqual({ DROVER_PORT_80: '41233', DROVER_PORT_9090: '9090' });
    expect(portEnv({})).toEqual({});
  });
});

describe('LineSplitter', () => {
  it('holds a line split across chunks until its end, and hands back an unterminated last line on flush', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('one\ntw'))).toEqual(['one']);
    expect(s.push(Buffer.from('o\n\nthr'))).toEqual(['two', '']);
    expect(s.flush()).toEqual(['thr']);
    expect(s.flush()).toEqual([]);
  });

  it('keeps a UTF-8 character split across chunks whole', () => {
    const bytes = Buffer.from('héllo→\n');
    const s = new LineSplitter();
    const out = [...s.push(bytes.subarray(0, 2)), ...s.push(bytes.subarray(2, 8)), ...s.push(bytes.subarray(8))];
    expect(out).toEqual(['héllo→']);
  });

  it('gives the same lines however the bytes are cut (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }), fc.array(fc.nat(40), { maxLength: 6 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((l) => l.replace(/\n/g, '') + '\n').join(''));
        const s = new LineSplitter();
        const out: string[] = [];
        let at = 0;
        for (const c of [...cuts, bytes.length]) {
          const end = Math.min(bytes.length, at + c);
          out.push(...s.push(bytes.subarray(at, end)));
          at = end;
        }
        out.push(...s.push(bytes.subarray(at)), ...s.flush());
        expect(out).toEqual(lines.map((l) => l.replace(/\n/g, '')));
      }),
    );
  });
});

describe('OutputCollector', () => {
  it('keeps the first maxBytes and says it dropped the rest', () => {
    const c = new OutputCollector(10);
    c.push('12345');
    expect(c.truncated).toBe(false);
    c.push(Buffer.from('67890abc'));
    c.push('more');
    expect(c.text()).toBe('1234567890');
    expect(c.truncated).toBe(true);
  });

  it('defaults to a few KiB', () => {
    const c = new OutputCollector();
    c.push('x'.repeat(EXEC_OUTPUT_MAX_BYTES * 3));
    expect(c.text()).toHaveLength(EXEC_OUTPUT_MAX_BYTES);
  });
});

describe('withDeadline', () => {
  it('resolves with the value when the work finishes in time, and cancels its timer', async () => {
    const clock = new ManualClock();
    const outcome = await withDeadline(clock, 100, () => Promise.resolve(7));
    expect(outcome).toEqual({ type: 'done', value: 7 });
    expect(clock.pending).toBe(0);
  });

  it('times out on the clock and aborts the work', async () => {
    const clock = new ManualClock();
    let aborted = false;
    const p = withDeadline(
      clock,
      100,
      (signal) =>
        new Promise<number>(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    );
    clock.advance(99);
    clock.advance(1);
    expect(await p).toEqual({ type: 'timedOut' });
    expect(aborted).toBe(true);
  });

  it('rejects when the work rejects in time', async () => {
    await expect(withDeadline(new ManualClock(), 100, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});

describe('lazyIterable', () => {
  it('opens the source on the first next(), not before, and only once', async () => {
    let opened = 0;
    const iterable = lazyIterable(() => {
      opened++;
      return Promise.resolve(iteratorOf(['a', 'b']));
    });
    expect(opened).toBe(0);
    const out: string[] = [];
    for await (const x of iterable) out.push(x);
    expect(out).toEqual(['a', 'b']);
    expect(opened).toBe(1);
  });

  it('rejects the first next() when the source cannot be opened, and never opens after return()', async () => {
    const failing = lazyIterable<string>(() => Promise.reject(new RuntimeError('NOT_FOUND', 'logs', 'no such container')));
    await expect(failing[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    let opened = false;
    const it = lazyIterable(() => {
      opened = true;
      return Promise.resolve(iteratorOf(['a']));
    })[Symbol.asyncIterator]();
    await it.return?.();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(opened).toBe(false);
  });
});

describe('RuntimeError', () => {
  it('carries code, op, the container and the cause, and says them in its message', () => {
    const cause = new Error('ENOENT');
    const e = new RuntimeError('IMAGE_NOT_FOUND', 'start', 'image x:1 is not present', { containerId: 'abc', containerName: 'web' }, { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'RuntimeError', code: 'IMAGE_NOT_FOUND', op: 'start', containerId: 'abc', containerName: 'web', reason: 'image x:1 is not present' });
    expect(e.cause).toBe(cause);
    expect(e.message).toBe('container runtime start (container web, id abc): image x:1 is not present');
    const bare = new RuntimeError('FAILED', 'list', 'cannot read');
    expect(bare.message).toBe('container runtime list: cannot read');
    expect('containerId' in bare).toBe(false);
  });
});
