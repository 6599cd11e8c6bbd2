import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../../actors/mailbox.js';

const out = { sender: undefined as unknown };

describe('Mailbox', () => {
  it('is FIFO across growth and keeps each sender with its message', () => {
    const mb = new Mailbox();
    for (let i = 0; i < 1000; i++) mb.offer(i, `s${i}`);
    for (let i = 0; i < 1000; i++) {
      expect(mb.shift(out)).toBe(i);
      expect(out.sender).toBe(`s${i}`);
    }
    expect(mb.size).toBe(0);
  });

  it('matches a plain array under any interleaving of offers and shifts', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.constant('shift' as const)), { maxLength: 500 }), (ops) => {
        const mb = new Mailbox();
        const model: number[] = [];
        for (const op of ops) {
          if (op === 'shift') {
            if (model.length === 0) continue;
            expect(mb.shift(out)).toBe(model.shift());
          } else {
            mb.offer(op, null);
            model.push(op);
          }
          expect(mb.size).toBe(model.length);
        }
      }),
    );
  });

  it('bounded drop-newest rejects what does not fit', () => {
    const mb = new Mailbox({ kind: 'bounded', capacity: 2, overflow: 'drop-newest' });
    expect(mb.offer(1, null).type).toBe('accepted');
    expect(mb.offer(2, null).type).toBe('accepted');
    expect(mb.offer(3, null).type).toBe('rejected');
    expect([mb.shift(out), mb.shift(out)]).toEqual([1, 2]);
  });

  it('bounded drop-oldest evicts the head and returns it', () => {
    const mb = new Mailbox({ kind: 'bounded', capacity: 2, overflow: 'drop-oldest' });
    mb.offer(1, 'a');
    mb.offer(2, 'b');
    expect(mb.offer(3, 'c')).toEqual({ type: 'evicted', message: 1, sender: 'a' });
    expect([mb.shift(out), mb.shift(out)]).toEqual([2, 3]);
  });

  it('rejects a capacity below one', () => {
    expect(() => new Mailbox({ kind: 'bounded', capacity: 0, overflow: 'fail' })).toThrow(/capacity/);
  });

  it('drain hands over everything in order and empties', () => {
    const mb = new Mailbox();
    for (let i = 0; i < 20; i++) mb.offer(i, null);
    const seen: unknown[] = [];
    mb.drain((m) => seen.push(m));
    expect(seen).toEqual([...Array(20).keys()]);
    expect(mb.size).toBe(0);
    mb.offer('again', null);
    expect(mb.shift(out)).toBe('again');
  });
});
